package io.bandwatch.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import static io.bandwatch.testing.MigrationSchema.text;

import io.bandwatch.testing.MigrationSchema;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * V6 on a database written before the connect_timeout cap: the stored check parameters and organization iperf3
 * defaults above 1,000,000 ms are clamped to it, everything else is left as it was. Runs the real migrations with
 * Flyway in a schema of its own (dropped afterwards) of the test database.
 */
class ConnectTimeoutMigrationTest {

    /** The test database (the profile's, or the one a run points the service at). */
    static final String JDBC = System.getenv().getOrDefault("_TEST_QUARKUS_DATASOURCE_JDBC_URL",
            "jdbc:postgresql://127.0.0.1:5432/inventory_test");

    @Test
    void v6ClampsStoredConnectTimeoutsAboveTheCapAndLeavesTheRest() throws Exception {
        try (MigrationSchema db = MigrationSchema.migratedTo(JDBC, "5"); Connection c = db.connect();
                Statement s = c.createStatement()) {
            UUID org = UUID.randomUUID();
            UUID device = UUID.randomUUID();
            s.execute("INSERT INTO organization (id, name) VALUES ('" + org + "', 'o')");
            s.execute("INSERT INTO device (id, organization_id, name, address, ssh_port, ssh_user, auth_method, "
                    + "secret_ciphertext) VALUES ('" + device + "', '" + org + "', 'd', '198.18.0.1', 22, 'root', 'password', 'x')");
            String over = "{\"host\": [], \"client_options\": {\"port\": 5201, \"connect_timeout\": 5000000}}";
            String under = "{\"client_options\": {\"connect_timeout\": 2500, \"time\": 20}}";
            String none = "{\"count\": 5}";
            s.execute("INSERT INTO check_def (id, organization_id, device_id, name, type, params) VALUES "
                    + "('" + UUID.randomUUID() + "', '" + org + "', '" + device + "', 'over', 'iperf3', '" + over + "'), "
                    + "('" + UUID.randomUUID() + "', '" + org + "', '" + device + "', 'under', 'iperf3', '" + under + "'), "
                    + "('" + UUID.randomUUID() + "', '" + org + "', '" + device + "', 'ping', 'ping', '" + none + "')");
            s.execute("INSERT INTO organization_iperf3_defaults (organization_id, config) VALUES ('" + org + "', '"
                    + "{\"client_options\": {\"connect_timeout\": 2147483647}}')");

            db.migrateRest();

            assertThat(text(s, "SELECT params::jsonb #>> '{client_options,connect_timeout}' FROM check_def WHERE name = 'over'"))
                    .isEqualTo("1000000");
            assertThat(text(s, "SELECT params::jsonb #>> '{client_options,port}' FROM check_def WHERE name = 'over'"))
                    .isEqualTo("5201");
            assertThat(text(s, "SELECT params FROM check_def WHERE name = 'under'")).isEqualTo(under);
            assertThat(text(s, "SELECT params FROM check_def WHERE name = 'ping'")).isEqualTo(none);
            assertThat(text(s, "SELECT config::jsonb #>> '{client_options,connect_timeout}' FROM organization_iperf3_defaults"))
                    .isEqualTo("1000000");
        }
    }
}
