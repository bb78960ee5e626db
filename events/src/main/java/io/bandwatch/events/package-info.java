/**
 * The Kafka contracts of Bandwatch: topic names ({@link io.bandwatch.events.Topics}), one immutable
 * record per event ({@link io.bandwatch.events.EventType}), their JSON form
 * ({@link io.bandwatch.events.EventJson}), JSON Schemas (class path
 * {@code io/bandwatch/events/schemas/<name>.v1.json}) and CloudEvents headers
 * ({@link io.bandwatch.events.CloudEventHeaders}, {@link io.bandwatch.events.EventSerializer},
 * {@link io.bandwatch.events.EventDeserializer}).
 *
 * <p>Rules every service relies on:
 * <ul>
 * <li>JSON fields are snake_case; optional fields are omitted when absent; an unknown field is refused (the
 *     record is unreadable and goes to the consumer's dead-letter topic), as in the REST APIs. So adding an
 *     optional field needs every consumer upgraded before any producer writes it; removing or renaming a field,
 *     making one required, tightening a bound or adding an enum value is a new {@code .v2} type and schema.
 *     The upgrade order: {@code events/README.md}.</li>
 * <li>The compact constructors enforce the contract (required fields, ranges, cross-field rules), so an
 *     event that exists is valid; messages name the JSON field. The schemas state the same rules, and the
 *     tests check that both agree.</li>
 * <li>Record keys are UUIDs as text ({@code Event#key()}); compacted topics delete with a null value
 *     (tombstone), which the deserializer returns as null.</li>
 * <li>Consumers deduplicate by {@code ce_id} = {@link io.bandwatch.events.Event#eventId()}; snapshots
 *     and device health derive it from their content, so a re-publication has the same id.</li>
 * <li>No secret is ever part of an event.</li>
 * </ul>
 */
package io.bandwatch.events;
