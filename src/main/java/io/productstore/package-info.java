/**
 * The reactive product store: the application's entry point; each sub-package is one
 * feature or one subsystem of the request path (see {@code docs/architecture.md}).
 */
package io.productstore;
