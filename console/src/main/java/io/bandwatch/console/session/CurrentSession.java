package io.bandwatch.console.session;

import io.bandwatch.console.rest.ConsoleProblems;
import jakarta.enterprise.context.RequestScoped;

/** The session of the current request, set by {@link SessionFilter} for every {@code /console/api/**} call. */
@RequestScoped
public class CurrentSession {

    private String id;
    private Session session;

    void set(String id, Session session) {
        this.id = id;
        this.session = session;
    }

    public String id() {
        return id;
    }

    /** The session; 401 when there is none (the filter lets no such call through, so this is a guard). */
    public Session get() {
        if (session == null) {
            throw ConsoleProblems.noSession();
        }
        return session;
    }

    public String jwt() {
        return get().jwt();
    }
}
