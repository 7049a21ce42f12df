package io.productstore.cache.changes;

import java.time.Instant;
import java.util.List;

/**
 * The change stream part of {@code GET /api/cache/stats}: this instance's streams (one
 * per followed collection; totals when there are several, the least healthy state).
 *
 * @param state {@code FOLLOWING}, {@code RESUMING} (failed, reopening: only writes
 * through this service invalidate meanwhile), {@code UNSUPPORTED} (a standalone MongoDB),
 * {@code STARTING}, {@code STOPPED} or {@code DISABLED}
 * @param collections the followed collections
 * @param events events received
 * @param invalidations entries and list/count generations this instance invalidated
 * @param resumes streams reopened from a resume token
 * @param epochBumps epoch bumps because changes may have been missed
 * @param lagP99Millis the 99th percentile of the lag from a change to its invalidation,
 * over the last minutes
 * @param lastChangeAt when the last applied change was made, null before any
 * @param problem why the stream is not following, null while it is
 */
public record ChangeStreamStats(String state, List<String> collections, long events, long invalidations, long resumes,
		long epochBumps, double lagP99Millis, Instant lastChangeAt, String problem) {

}
