package io.bandwatch.console.rest;

import io.bandwatch.platform.problem.ProblemException;

/**
 * The problems only the console answers, as the platform's {@link ProblemException} (mapped by the platform's
 * {@code ProblemMappers} like every other error): no session, sign-in throttling, and the gateway's own failures
 * when a service does not answer as it should.
 */
public final class ConsoleProblems {

    private ConsoleProblems() {
    }

    public static ProblemException noSession() {
        return ProblemException.unauthorized("no valid session: sign in");
    }

    /** 404 with the console's own detail (the platform's {@code notFound} says "X not found"). */
    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail, null);
    }

    public static ProblemException tooManyRequests(String detail, String retryAfter) {
        ProblemException e = new ProblemException(429, "too-many-requests", "Too many requests", detail, null);
        return retryAfter == null ? e : e.withHeader("Retry-After", retryAfter);
    }

    public static ProblemException unreachable(String service) {
        return new ProblemException(502, "service-unreachable", "Bad gateway", service + " is unreachable", null);
    }

    public static ProblemException badAnswer(String service, int status) {
        return new ProblemException(502, "service-error", "Bad gateway", service + " answered " + status, null);
    }

    public static ProblemException timeout(String service) {
        return new ProblemException(504, "service-timeout", "Gateway timeout", service + " did not answer in time", null);
    }
}
