/**
 * Connections of the application's Lettuce client for what Spring Data Redis does not
 * cover (pub/sub listeners, Bucket4j): the one place that tells a standalone or Sentinel
 * client from a cluster client.
 */
package io.productstore.redis;
