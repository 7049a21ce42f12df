/**
 * Benchmarks run by the scripts in {@code bench/} (test scope, not in the jar): the cache
 * engine against plain cache-aside and pattern deletes.
 */
package io.productstore.bench;
