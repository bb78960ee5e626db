package io.bandwatch.platform.problem;

/**
 * A service's own knowledge of which unexpected exceptions are the client's problem (a unique violation is a
 * 409, a stale row a 412, InfluxDB down a 503). CDI beans of this type are asked, in turn, before an
 * exception becomes a 500.
 */
public interface ProblemTranslator {

    /** The problem for this exception, or null when this translator does not know it. */
    ProblemException translate(Throwable error);
}
