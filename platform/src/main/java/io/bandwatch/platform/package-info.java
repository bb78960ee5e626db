/**
 * The cross-cutting concerns of the four services, each built once: problems, caller, secrets, message log,
 * outbox, strict JSON. Services keep only their domain.
 */
package io.bandwatch.platform;
