/**
 * The OpenAPI document behind {@code /v3/api-docs} and Swagger UI: its description, the
 * Basic scheme and the problem responses every operation can give.
 */
package io.productstore.openapi;
