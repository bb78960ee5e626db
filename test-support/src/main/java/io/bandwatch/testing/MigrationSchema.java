package io.bandwatch.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A service's real Flyway migrations ({@code classpath:db/migration}) run in a fresh schema of the test database, for
 * tests of what one migration does to rows an older version stored: {@link #migratedTo} stops before the migration
 * under test, the test inserts old rows through {@link #connect()}, {@link #migrateRest()} runs the rest, and
 * {@link #close()} drops the schema.
 */
public final class MigrationSchema implements AutoCloseable {

    private static final String USER = "bandwatch";
    private static final String PASSWORD = "bandwatch";

    private final String jdbcUrl;
    private final String schema;

    private MigrationSchema(String jdbcUrl, String schema) {
        this.jdbcUrl = jdbcUrl;
        this.schema = schema;
    }

    /** A new schema with the migrations up to and including {@code version}. */
    public static MigrationSchema migratedTo(String jdbcUrl, String version) {
        MigrationSchema s = new MigrationSchema(jdbcUrl, "migration_" + UUID.randomUUID().toString().replace("-", ""));
        s.flyway().createSchemas(true).target(version).load().migrate();
        return s;
    }

    /** A connection whose search path is this schema. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                USER, PASSWORD);
    }

    /** Runs every migration not run yet. */
    public void migrateRest() {
        flyway().load().migrate();
    }

    /** The first column of the first row of {@code sql} as text; fails when there is no row. */
    public static String text(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            if (!r.next()) {
                throw new AssertionError("no row: " + sql);
            }
            return r.getString(1);
        }
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration flyway() {
        return Flyway.configure().dataSource(jdbcUrl, USER, PASSWORD).schemas(schema).locations("classpath:db/migration");
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
