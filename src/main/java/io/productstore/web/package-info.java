/**
 * The web edge every request passes: request id, response time and body-size filters,
 * strict JSON, and RFC 9457 problem details for every error.
 */
package io.productstore.web;
