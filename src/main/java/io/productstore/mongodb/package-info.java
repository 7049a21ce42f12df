/**
 * Settings of the MongoDB client: the timeouts that make a MongoDB outage answer 503 fast
 * instead of hanging requests.
 */
package io.productstore.mongodb;
