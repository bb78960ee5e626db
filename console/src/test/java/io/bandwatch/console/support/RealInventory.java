package io.bandwatch.console.support;

import io.bandwatch.testing.ServiceProcess;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The real inventory-service for the console's tests: its packaged jar
 * ({@code ../inventory-service/target/quarkus-app/quarkus-run.jar}) as a child process ({@link ServiceProcess}) on
 * the shared PostgreSQL (database {@value #DATABASE}, made anew per run) and Kafka, signing with the test JWT key
 * pair, with a superuser {@code admin} whose password is made per run ({@link #adminPassword()}). The runner,
 * metrics and alert URLs point at free ports where nothing listens, so those services are "down".
 */
public class RealInventory implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "inventory_console_test";
    private static final String ADMIN_PASSWORD = secret();
    private static ServiceProcess inventory;

    public static String adminPassword() {
        return ADMIN_PASSWORD;
    }

    public static String url() {
        return inventory.url();
    }

    @Override
    public synchronized Map<String, String> start() {
        if (inventory == null) {
            recreateDatabase(DATABASE);
            inventory = ServiceProcess.start("inventory-for-console", ServiceProcess.jar("inventory-service"),
                    ServiceProcess.freePort(), inventoryConfig(DATABASE, ADMIN_PASSWORD));
            inventory.awaitReady(Duration.ofSeconds(120));
        }
        Map<String, String> config = new HashMap<>();
        config.put("bandwatch.console.services.inventory", inventory.url());
        config.put("bandwatch.console.services.runner", "http://127.0.0.1:" + ServiceProcess.freePort());
        config.put("bandwatch.console.services.metrics", "http://127.0.0.1:" + ServiceProcess.freePort());
        config.put("bandwatch.console.services.alert", "http://127.0.0.1:" + ServiceProcess.freePort());
        return config;
    }

    @Override
    public synchronized void stop() {
        if (inventory != null) {
            inventory.close();
            inventory = null;
        }
    }

    /** inventory-service's settings for a database of its own and a superuser admin with that password. */
    public static Map<String, String> inventoryConfig(String database, String adminPassword) {
        Map<String, String> c = new HashMap<>();
        c.put("quarkus.datasource.password", "bandwatch");
        c.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/" + database);
        c.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + database);
        c.put("kafka.bootstrap.servers", "127.0.0.1:9092");
        c.put("mp.jwt.verify.publickey.location", TestJwt.instance().publicKeyPath().toString());
        c.put("mp.jwt.verify.issuer", TestJwt.ISSUER);
        c.put("smallrye.jwt.sign.key.location", TestJwt.instance().privateKeyPath().toString());
        c.put("bandwatch.secrets.active-key", "ct1");
        c.put("bandwatch.secrets.keys.ct1", secret());
        c.put("bandwatch.auth.initial-superuser.username", "admin");
        c.put("bandwatch.auth.initial-superuser.password", adminPassword);
        c.put("bandwatch.auth.service-accounts.check-runner.password", secret());
        // its devices.health consumer: a group of its own, so that it takes nothing from another inventory's
        c.put("mp.messaging.incoming.\"devices.health\".group.id", "inventory-console-test-" + UUID.randomUUID());
        c.put("mp.messaging.incoming.\"devices.health\".auto.offset.reset", "latest");
        return c;
    }

    /** Drops and makes the database (a name of this class's own, never user input). */
    public static void recreateDatabase(String database) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "bandwatch",
                "bandwatch"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot make the database " + database, e);
        }
    }

    public static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
