package io.productstore.idempotency;

/**
 * The response of a performed request as a replay sends it again: status, the headers
 * that name and tag what was created, and the body.
 *
 * @param status the HTTP status
 * @param location the {@code Location} header, or null
 * @param etag the {@code ETag} header, or null
 * @param body the JSON body
 */
public record RecordedResponse(int status, String location, String etag, String body) {

}
