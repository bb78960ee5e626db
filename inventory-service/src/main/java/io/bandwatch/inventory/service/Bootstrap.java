package io.bandwatch.inventory.service;

import io.bandwatch.inventory.config.InventoryConfig;
import io.bandwatch.inventory.domain.AppUser;
import io.bandwatch.inventory.repository.UserRepository;
import io.bandwatch.inventory.security.Passwords;
import io.bandwatch.platform.security.SecretBox;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * At start: checks the secret keys (fail fast), creates the first superuser on an empty user table, and
 * creates (or re-keys) one service account per {@code bandwatch.auth.service-accounts.<name>.password}.
 */
@ApplicationScoped
public class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);

    @Inject
    InventoryConfig config;
    @Inject
    Pool pool;
    @Inject
    UserRepository users;
    @Inject
    SecretBox box;

    void onStart(@Observes StartupEvent event) throws Throwable {
        LOG.infof("secrets: active key id '%s'", box.activeKeyId());
        var initial = config.auth().initialSuperuser();
        if (initial.password().isPresent()) {
            String hash = Passwords.hash(initial.password().get());
            VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(
                    conn -> users.countSuperusers(conn).chain(n -> {
                        if (n > 0) {
                            return Uni.createFrom().voidItem();
                        }
                        LOG.infof("creating the first superuser '%s'", initial.username());
                        return users.countNamed(conn, initial.username()).chain(same -> same > 0
                                ? users.makeSuperuser(conn, initial.username(), hash)
                                : users.insert(conn, user(initial.username(), hash, true, false)));
                    })));
        }
        for (Map.Entry<String, String> e : serviceAccounts(config, System.getenv()).entrySet()) {
            String name = e.getKey();
            String password = e.getValue();
            AppUser existing = VertxContextSupport.subscribeAndAwait(() -> users.findByName(pool, name));
            if (existing != null && existing.service && Passwords.verify(password, existing.passwordHash)) {
                continue;
            }
            String hash = Passwords.hash(password);
            VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(conn -> existing == null
                    ? users.insert(conn, user(name, hash, false, true))
                    : users.makeServiceAccount(conn, name, hash)));
            LOG.infof("service account '%s' %s", name, existing == null ? "created" : "password updated");
        }
    }

    private static final java.util.regex.Pattern ENV_ACCOUNT =
            java.util.regex.Pattern.compile("^BANDWATCH_AUTH_SERVICE_ACCOUNTS_([A-Z0-9_]+)_PASSWORD$");

    /**
     * Service accounts by user name: the {@code bandwatch.auth.service-accounts.<name>.password} entries, plus
     * the environment variables {@code BANDWATCH_AUTH_SERVICE_ACCOUNTS_<NAME>_PASSWORD} (a map key cannot be
     * told apart from the rest of an environment variable name by the configuration, so they are read here).
     * Names are lower case with {@code _} and {@code .} turned into {@code -}: {@code CHECK_RUNNER} is
     * {@code check-runner}.
     */
    static Map<String, String> serviceAccounts(InventoryConfig config, Map<String, String> env) {
        Map<String, String> accounts = new java.util.TreeMap<>();
        config.auth().serviceAccounts().forEach((key, account) -> accounts.put(normalize(key), account.password()));
        env.forEach((name, value) -> {
            java.util.regex.Matcher m = ENV_ACCOUNT.matcher(name);
            if (m.matches() && !value.isBlank()) {
                accounts.put(normalize(m.group(1)), value);
            }
        });
        return accounts;
    }

    static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
    }

    private static AppUser user(String name, String hash, boolean superuser, boolean service) {
        AppUser u = new AppUser();
        u.id = UUID.randomUUID();
        u.username = name;
        u.passwordHash = hash;
        u.superuser = superuser;
        u.service = service;
        u.enabled = true;
        u.createdAt = Support.now();
        u.updatedAt = u.createdAt;
        return u;
    }
}
