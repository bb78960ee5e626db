package io.bandwatch.runner.bench;

import io.bandwatch.platform.outbox.OutboxConfig;
import io.bandwatch.runner.config.RunnerConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * What the runner's benches share: their own database ({@code runner_bench}, created when missing and migrated
 * with the service's Flyway scripts, as the service does at start), the service's settings read from its
 * {@code application.properties} (so the benches use the replica's real claim batch, concurrency and lease
 * settings), reactive pools like the service's, and the {@code BENCH <key> <value> <unit>} lines.
 */
final class BenchSupport {

    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;
    static final String USER = "bandwatch";
    static final String PASSWORD = "bandwatch";
    static final String DATABASE = System.getProperty("bench.database", "runner_bench");
    static final String JDBC = "jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE;
    /** The shared Kafka the replicas' outbox relays publish {@code check.results} to. */
    static final String KAFKA = System.getProperty("bench.kafka", "127.0.0.1:9092");

    /**
     * The service's {@code quarkus.datasource.reactive.cache-prepared-statements}, for the benches' pools;
     * {@code -Dbench.cache-prepared-statements=false} measures without it (every statement parsed and planned anew).
     */
    static final boolean CACHE_PREPARED_STATEMENTS = Boolean.parseBoolean(System.getProperty(
            "bench.cache-prepared-statements",
            serviceProperty("quarkus.datasource.reactive.cache-prepared-statements", "false")));

    private BenchSupport() {
    }

    /** A value of the service's {@code application.properties} (the default profile's). */
    static String serviceProperty(String key, String otherwise) {
        try (var in = BenchSupport.class.getClassLoader().getResourceAsStream("application.properties")) {
            java.util.Properties properties = new java.util.Properties();
            properties.load(in);
            return properties.getProperty(key, otherwise);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates the bench database when missing. The local stack's role {@code bandwatch} has CREATEDB
     * ({@code deploy/local/bandwatch up} grants it), so no superuser is needed; then migrates it.
     */
    static void prepareDatabase() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER,
                PASSWORD)) {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, DATABASE);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                if (!DATABASE.matches("[a-z_][a-z0-9_]*")) {
                    throw new IllegalArgumentException("bench.database must be a plain name: " + DATABASE);
                }
                try (var st = c.createStatement()) {
                    st.execute("CREATE DATABASE " + DATABASE);
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot CREATE DATABASE " + DATABASE + " as role " + USER
                            + " (it needs CREATEDB, as deploy/local/bandwatch up grants; or create it once with"
                            + " `su postgres -c 'createdb -O " + USER + " " + DATABASE + "'`)", e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " as " + USER + ": " + e.getMessage(), e);
        }
        Flyway.configure().dataSource(JDBC, USER, PASSWORD).locations("classpath:db/migration").load().migrate();
    }

    static Connection db() throws SQLException {
        return DriverManager.getConnection(JDBC, USER, PASSWORD);
    }

    static void sql(String statement) {
        try (Connection c = db(); var st = c.createStatement()) {
            st.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + ": " + e.getMessage(), e);
        }
    }

    /**
     * A reactive PostgreSQL pool on the bench database, as a replica has one (one per replica), with the service's
     * prepared statement cache setting ({@code quarkus.datasource.reactive.cache-prepared-statements} of its
     * {@code application.properties}).
     */
    static Pool pool(Vertx vertx, int maxSize) {
        return PgBuilder.pool().with(new PoolOptions().setMaxSize(maxSize))
                .connectingTo(new PgConnectOptions().setHost(HOST).setPort(PORT).setDatabase(DATABASE).setUser(USER)
                        .setPassword(PASSWORD).setCachePreparedStatements(CACHE_PREPARED_STATEMENTS))
                .using(vertx).build();
    }

    /**
     * The runner's settings as the service reads them: {@code RunnerConfig}'s defaults, the service's
     * {@code application.properties}, then the given overrides (only what a bench must change, e.g. its own
     * lease key prefix).
     */
    static RunnerConfig runnerConfig(Map<String, String> overrides) {
        return serviceConfig(RunnerConfig.class, overrides);
    }

    /** The outbox relay's settings as the service reads them ({@code bandwatch.outbox.*} of application.properties). */
    static OutboxConfig outboxConfig() {
        return serviceConfig(OutboxConfig.class, Map.of());
    }

    private static <T> T serviceConfig(Class<T> mapping, Map<String, String> overrides) {
        try {
            URL properties = BenchSupport.class.getClassLoader().getResource("application.properties");
            SmallRyeConfig config = new SmallRyeConfigBuilder()
                    .withSources(new PropertiesConfigSource(properties, 250))
                    .withSources(new PropertiesConfigSource(overrides, "bench-overrides", 400))
                    // "5s", "250ms": Quarkus's duration syntax, as the service reads it
                    .withConverter(java.time.Duration.class, 200, new DurationConverter())
                    .withMapping(mapping)
                    .withValidateUnknown(false)
                    .build();
            return config.getConfigMapping(mapping);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One machine-readable figure: {@code BENCH <key> <value> <unit>}, value with '.' decimals. */
    static String line(String key, double value, String unit) {
        String number = value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2f", value);
        return "BENCH " + key + " " + number + " " + unit;
    }

    /** {@code BENCH <key> <value> <unit> n=<size> [run=<i>]} (BENCH-CONTRACT: the size, and the repetition when > 0). */
    static String line(String key, double value, String unit, int n, int run) {
        return line(key, value, unit) + " n=" + n + (run > 0 ? " run=" + run : "");
    }

    /** Prints the human-readable report, then the BENCH lines, and keeps both in target/bench/NAME.txt. */
    static void report(String name, String human, List<String> benchLines) {
        String text = human + (human.endsWith("\n") ? "" : "\n") + String.join("\n", benchLines) + "\n";
        System.out.print(text);
        try {
            Files.createDirectories(Path.of("target", "bench"));
            Files.writeString(Path.of("target", "bench", name + ".txt"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double percentile(long[] sortedMillis, double p) {
        if (sortedMillis.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sortedMillis.length) - 1;
        return sortedMillis[Math.max(0, Math.min(sortedMillis.length - 1, index))];
    }
}
