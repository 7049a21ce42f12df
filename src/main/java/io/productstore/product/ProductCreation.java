package io.productstore.product;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;

import io.productstore.idempotency.IdempotencyKey;
import io.productstore.idempotency.IdempotentRequests;
import io.productstore.idempotency.RecordedResponse;
import org.bson.types.ObjectId;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code POST /api/products}, with or without an {@code Idempotency-Key}: the body is
 * written once as JSON, so that the first answer and its replays are the same bytes.
 */
@Component
class ProductCreation {

	static final String REPLAYED = "Idempotent-Replayed";

	private final ProductService products;

	private final IdempotentRequests idempotent;

	private final JsonMapper json;

	ProductCreation(ProductService products, IdempotentRequests idempotent, JsonMapper json) {
		this.products = products;
		this.idempotent = idempotent;
		this.json = json;
	}

	Mono<ResponseEntity<byte[]>> create(ProductRequest request, String idempotencyKey, Principal caller,
			ServerHttpRequest http) {
		if (idempotencyKey == null) {
			return this.products.create(request).map((product) -> created(recorded(http, product), false));
		}
		// POST needs EDITOR or ADMIN, so there is always a caller; keys are theirs alone.
		IdempotencyKey key = new IdempotencyKey(caller.getName(), idempotencyKey);
		return this.idempotent
			.perform(key, fingerprint(request), () -> new ObjectId().toHexString(),
					(id) -> this.products.create(request, id).map((product) -> recorded(http, product)))
			.map((outcome) -> created(outcome.response(), outcome.replayed()));
	}

	/**
	 * What makes two requests the same request: the normalised body, with the price
	 * written without trailing zeros ({@code 9.90} and {@code 9.9} are one price), so a
	 * retry differing only in spacing, field order or number format replays.
	 */
	private String fingerprint(ProductRequest request) {
		ProductRequest canonical = new ProductRequest(request.name(), request.description(), request.category(),
				request.price().stripTrailingZeros(), request.currency(), request.stock(), request.tags(),
				request.images(), request.active(), request.wishlisted());
		return "POST /api/products\n" + this.json.writeValueAsString(canonical);
	}

	private RecordedResponse recorded(ServerHttpRequest http, ProductResponse product) {
		return new RecordedResponse(HttpStatus.CREATED.value(), location(http, product.id()).toString(), product.etag(),
				this.json.writeValueAsString(product));
	}

	private static ResponseEntity<byte[]> created(RecordedResponse response, boolean replayed) {
		ResponseEntity.BodyBuilder builder = ResponseEntity.status(response.status())
			.contentType(MediaType.APPLICATION_JSON);
		if (response.location() != null) {
			builder.header(HttpHeaders.LOCATION, response.location());
		}
		if (response.etag() != null) {
			builder.eTag(response.etag());
		}
		if (replayed) {
			builder.header(REPLAYED, "true");
		}
		return builder.body(response.body().getBytes(StandardCharsets.UTF_8));
	}

	private static URI location(ServerHttpRequest request, String id) {
		return UriComponentsBuilder.fromUri(request.getURI())
			.replacePath("/api/products/{id}")
			.replaceQuery(null)
			.build(id);
	}

}
