package io.bandwatch.events;

/**
 * An event payload that cannot be read or written: malformed JSON, a missing required field, or a
 * field that breaks the contract. The message starts with the event label, e.g.
 * {@code "check.result v1: missing required field 'device_id'"} or
 * {@code "check.snapshot v1: invalid field 'iperf3.client_options.port': must be between 1 and 65535, was 0"}.
 *
 * <p>Consumers treat it as a poison message (dead-letter topic), never as a reason to retry.
 */
public class EventFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String eventLabel;
    private final String field;

    public EventFormatException(String eventLabel, String field, String detail, Throwable cause) {
        super(eventLabel + ": " + detail, cause);
        this.eventLabel = eventLabel;
        this.field = field;
    }

    /** The event the payload was meant to be, e.g. {@code check.result v1}. */
    public String eventLabel() {
        return eventLabel;
    }

    /** The full JSON path of the offending field (e.g. {@code server.host}), or null when not about one field. */
    public String field() {
        return field;
    }
}
