/**
 * Rate limiting of {@code /api/**}: a token bucket per client shared by every instance in
 * Redis, this instance's own buckets while Redis is unavailable, and who the client is
 * (user, or IP behind trusted proxies).
 */
package io.productstore.ratelimit;
