package io.bandwatch.events;

/**
 * A value that breaks the contract of one field: out of range, wrong syntax, or inconsistent with
 * another field. The message is {@code "<field>: <reason>"}, where the field is named as in JSON
 * (snake_case, dotted for nested objects, e.g. {@code client_options.tcp.bitrate}).
 *
 * <p>Thrown by the compact constructors of the event records and by the reusable checks
 * ({@link IperfSize}, {@link HostNames}); {@link EventJson} turns it into an
 * {@link EventFormatException} that names the full JSON path. Services may map it to a
 * 400 problem response with {@link #field()}.
 */
public class InvalidFieldException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    public InvalidFieldException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** The JSON name of the field, relative to the record that rejected it. */
    public String field() {
        return field;
    }

    /** What is wrong with it, without the field name. */
    public String reason() {
        return reason;
    }
}
