/**
 * Embedded MongoDB-compatible and Redis servers that the default profile starts
 * in-process.
 */
package io.productstore.embedded;
