package io.bandwatch.platform.messaging;

import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * Idempotent consumption: a consumer records the event id ({@code ce_id}) in the {@code message_log} table in
 * the same transaction as the event's effect, and applies the effect only when the id is new. A redelivered or
 * replayed event then changes nothing, and a rolled-back effect leaves no id behind.
 *
 * <p>The table, the same in every service that consumes into a database:
 * <pre>
 * message_log (event_id UUID PRIMARY KEY, topic VARCHAR(128) NOT NULL, processed_at TIMESTAMPTZ NOT NULL DEFAULT now())
 * </pre>
 */
public final class MessageLog {

    static final String RECORD = "INSERT INTO message_log (event_id, topic) VALUES ($1, $2) ON CONFLICT DO NOTHING";

    private MessageLog() {
    }

    /** Records the event id in the caller's transaction; true when it is new (apply the effect), false when seen. */
    public static Uni<Boolean> firstTime(InTransaction tx, UUID eventId, String topic) {
        return tx.update(RECORD, eventId, topic).map(changed -> changed == 1);
    }
}
