package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a check run failed. JSON: the lower-case name, e.g. {@code "ssh_unreachable"}. */
public enum ErrorCode {
    /** The device's SSH port could not be reached (connect refused, timed out, no route). */
    SSH_UNREACHABLE,
    /** SSH authentication was refused. */
    SSH_AUTH_FAILED,
    /** The device's host key does not match the pinned fingerprint. */
    HOST_KEY_MISMATCH,
    /** iperf3 is not installed on the device (exit 127). */
    IPERF3_NOT_INSTALLED,
    /** The iperf3 server was running another test. */
    SERVER_BUSY,
    /** The iperf3 server refused the connection. */
    CONNECTION_REFUSED,
    /** The test (or a step of it) did not finish in time. */
    TIMEOUT,
    /** iperf3 RSA authentication failed ("test authorization failed"). */
    AUTH_FAILED,
    /** Every server of the pool stayed leased past the wait limit, or the pool is empty. */
    NO_SERVER_AVAILABLE,
    /** iperf3 or fping printed something that could not be parsed. */
    BAD_OUTPUT,
    /** fping could not run (not installed, bad arguments, permission). */
    FPING_FAILED,
    /** Anything unexpected in the runner itself. */
    INTERNAL_ERROR;

    /** The JSON value: the lower-case name. */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
