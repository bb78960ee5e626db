package io.bandwatch.runner.ssh;

import io.bandwatch.events.ErrorCode;

/** An SSH step failed; carries the result's failure code. The message never contains a secret. */
public class SshFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public SshFailure(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
