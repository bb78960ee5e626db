package io.bandwatch.console.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Server-side sessions in Redis: {@code bw:console:session:<id>} holds the session as JSON and expires with the
 * token it holds (nothing is refreshed: when the token expires the session ends). The id is 32 random bytes
 * from {@link SecureRandom}, base64url without padding.
 */
@ApplicationScoped
public class SessionStore {

    public static final String KEY_PREFIX = "bw:console:session:";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    ObjectMapper json;

    private final ReactiveValueCommands<String, String> values;
    private final ReactiveRedisDataSource redis;

    @Inject
    public SessionStore(ReactiveRedisDataSource redis) {
        this.redis = redis;
        this.values = redis.value(String.class);
    }

    /** 32 random bytes, base64url without padding (43 characters). */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Compares two tokens in constant time; false when either is missing. */
    public static boolean sameToken(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Stores the session until its {@code expiresAt}; answers its new id. */
    public Uni<String> create(Session session) {
        String id = randomToken();
        long ttl = Duration.between(Instant.now(), session.expiresAt()).toMillis();
        if (ttl <= 0) {
            return Uni.createFrom().failure(new IllegalArgumentException("the token has expired already"));
        }
        String value;
        try {
            value = json.writeValueAsString(session);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return values.set(KEY_PREFIX + id, value, new SetArgs().px(ttl).nx()).replaceWith(id);
    }

    /** The session of that id, or null (unknown, expired, or not an id at all). */
    public Uni<Session> find(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Uni.createFrom().nullItem();
        }
        return values.get(KEY_PREFIX + id).map(value -> {
            if (value == null) {
                return null;
            }
            try {
                Session session = json.readValue(value, Session.class);
                return session.expiresAt().isAfter(Instant.now()) ? session : null;
            } catch (JsonProcessingException e) {
                return null;
            }
        });
    }

    public Uni<Void> delete(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Uni.createFrom().voidItem();
        }
        return redis.key(String.class).del(KEY_PREFIX + id).replaceWithVoid();
    }
}
