/**
 * The request id in log lines: written into the logging MDC at the statements that log on
 * a request path, from the Reactor context or the exchange that carries it, instead of
 * thread locals restored around every operator.
 */
package io.productstore.logging;
