package io.bandwatch.platform.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * {@link InTransaction} on the Hibernate Reactive session of the current Panache transaction
 * ({@code Panache.withTransaction(...)}): statements run as native queries on the session's connection.
 * Only for services with Hibernate Reactive Panache on the class path; nothing else loads this class.
 */
public final class PanacheTransaction {

    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+)");

    private PanacheTransaction() {
    }

    /** The session of the Panache transaction the caller is in. */
    public static InTransaction current() {
        return (sql, params) -> Panache.getSession().chain(session -> update(session, sql, params));
    }

    static Uni<Integer> update(Mutiny.Session session, String sql, Object... params) {
        // Hibernate numbers native parameters ?1, ?2 (JPA style); the reactive client's are $1, $2
        var query = session.createNativeQuery(PARAMETER.matcher(sql).replaceAll(m -> "?" + Matcher.quoteReplacement(m.group(1))));
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        return query.executeUpdate();
    }
}
