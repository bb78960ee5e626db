package io.bandwatch.runner;

import static io.bandwatch.testing.MigrationSchema.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.events.PingOptions;
import io.bandwatch.events.Schedule;
import io.bandwatch.testing.MigrationSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * V7 on a projection stored before the connect_timeout cap: a stored check snapshot above 1,000,000 ms is clamped
 * to it (the value the event reader gives it anyway), the others are left as they were. Runs the real migrations
 * with Flyway in a schema of its own (dropped afterwards) of the test database.
 */
class ConnectTimeoutMigrationTest {

    static final String JDBC = System.getProperty("quarkus.datasource.jdbc.url",
            "jdbc:postgresql://127.0.0.1:5432/runner_test");

    @Test
    void v7ClampsStoredSnapshotsAboveTheCapAndLeavesTheRest() throws Exception {
        try (MigrationSchema db = MigrationSchema.migratedTo(JDBC, "4"); Connection c = db.connect()) {
            UUID org = UUID.randomUUID();
            UUID device = UUID.randomUUID();
            Schedule yearly = Schedule.ofCron("0 0 1 1 *", "UTC");
            String old = EventJson.writeString(new CheckSnapshot(UUID.randomUUID(), org, device, CheckType.IPERF3, yearly,
                    true, 1, Instant.now(), Iperf3Options.defaults(), null))
                    .replace("\"connect_timeout\":1000", "\"connect_timeout\":5000000");
            assertThat(old).contains("5000000");
            String ok = EventJson.writeString(new CheckSnapshot(UUID.randomUUID(), org, device, CheckType.IPERF3, yearly,
                    true, 1, Instant.now(), Iperf3Options.defaults(), null));
            String ping = EventJson.writeString(new CheckSnapshot(UUID.randomUUID(), org, device, CheckType.PING, yearly,
                    true, 1, Instant.now(), null, PingOptions.defaults()));
            for (String snapshot : new String[] {old, ok, ping}) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO checks (id, organization_id, device_id, "
                        + "type, snapshot, schedule, active, version, updated_at, next_run_at) "
                        + "VALUES (?, ?, ?, 'iperf3', ?, '{}', true, 1, now(), now())")) {
                    insert.setObject(1, EventJson.read(snapshot.replace("5000000", "1000"), CheckSnapshot.class).id());
                    insert.setObject(2, org);
                    insert.setObject(3, device);
                    insert.setString(4, snapshot);
                    insert.executeUpdate();
                }
            }

            db.migrateRest();

            try (Statement s = c.createStatement()) {
                String migrated = text(s, "SELECT snapshot FROM checks WHERE snapshot::jsonb #>> '{id}' = '"
                        + EventJson.read(old.replace("5000000", "1000"), CheckSnapshot.class).id() + "'");
                assertThat(EventJson.read(migrated, CheckSnapshot.class).iperf3().clientOptions().connectTimeout())
                        .isEqualTo(Iperf3Options.ClientOptions.MAX_CONNECT_TIMEOUT);
                assertThat(migrated).contains("\"connect_timeout\": 1000000");
                assertThat(text(s, "SELECT count(*) FROM checks WHERE snapshot IN ('" + ok.replace("'", "''") + "', '"
                        + ping.replace("'", "''") + "')")).isEqualTo("2");
            }
        }
    }
}
