/**
 * Cross-cutting web concerns: response time, problem details, security, CORS and OpenAPI.
 */
package io.productstore.system;
