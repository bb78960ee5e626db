package io.bandwatch.runner.ssh;

/**
 * What a remote command did.
 *
 * @param exitStatus exit status, -1 when unknown (killed at the deadline)
 * @param stdout     standard output (UTF-8), cut at the size cap
 * @param stderr     standard error (UTF-8), cut at the size cap
 * @param timedOut   the deadline passed and the command was killed
 * @param truncated  output exceeded the cap
 */
public record ExecResult(int exitStatus, String stdout, String stderr, boolean timedOut, boolean truncated) {
}
