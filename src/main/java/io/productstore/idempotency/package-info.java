/**
 * Idempotent requests: a keyed request is performed at most once per caller and key,
 * across instances, through an atomic claim in Redis, and its recorded response replayed.
 * <p>
 * Implementation notes. A record ({@link IdempotencyRecords}) is a Redis hash, created by
 * the first request's claim with the request's fingerprint, a lease and the id of the
 * resource it is about to create, and completed with the response. The resource id is
 * chosen before the write and kept by the record, so that whoever performs the request
 * again after a lapsed or released lease (a crashed instance, a MongoDB error whose
 * outcome is unknown) writes the same id: the second insert fails on the duplicate id
 * instead of creating a second resource. Redis being unreachable refuses keyed requests
 * (503) rather than perform one that might already have been performed.
 */
package io.productstore.idempotency;
