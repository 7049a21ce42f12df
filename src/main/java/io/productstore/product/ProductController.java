package io.productstore.product;

import java.security.Principal;

import io.productstore.idempotency.IdempotencyKey;
import io.productstore.web.ConnectionEventLoop;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The product resource at {@code /api/products}.
 */
@RestController
@RequestMapping("/api/products")
@Tag(name = "Products")
class ProductController {

	static final String MERGE_PATCH_JSON = "application/merge-patch+json";

	private static final String CURSOR = "The nextCursor of a previous page: continues its query (filters, sort and "
			+ "size travel inside it; size may be given to change the page size). Not combinable with page, "
			+ "nor with filters or a sort other than the cursor's";

	private static final String FIELDS = "Comma-separated members to return (sparse fieldset), e.g. id,name,price; "
			+ "id is always included; an unknown name is a 400. The entity tag names the selection";

	private final ProductService products;

	private final CacheHeaders cacheHeaders;

	private final CursorCodec cursors;

	private final SparseFields sparse;

	private final ProductCreation creation;

	ProductController(ProductService products, CacheHeaders cacheHeaders, CursorCodec cursors, SparseFields sparse,
			ProductCreation creation) {
		this.products = products;
		this.cacheHeaders = cacheHeaders;
		this.cursors = cursors;
		this.sparse = sparse;
		this.creation = creation;
	}

	/**
	 * Writes the JSON held by the cache as the body: a hit is never serialised again.
	 */
	@GetMapping("/{id}")
	@Operation(summary = "Read one product",
			description = "Sends ETag \"<version>\"; If-None-Match with that tag answers 304 without a body.")
	@ApiResponse(responseCode = "200", description = "The product",
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = ProductResponse.class)))
	Mono<ResponseEntity<byte[]>> find(@PathVariable String id,
			@Parameter(description = FIELDS) @RequestParam(required = false) String fields,
			@RequestHeader HttpHeaders headers, ServerWebExchange exchange) {
		String productId = ProductId.checked(id);
		FieldSelection selection = FieldSelection.parse(fields);
		ServerHttpResponse response = exchange.getResponse();
		return ConnectionEventLoop.continueOn(exchange, this.products.find(productId, CacheHeaders.noCache(headers)))
			.map((read) -> {
				// Set before a 404 is raised, so a cached "not found" says how it was
				// served too.
				CacheHeaders.outcome(response, read);
				ProductResponse product = read.value();
				if (product == null) {
					throw new ProductNotFoundException(productId);
				}
				if (selection != null) {
					return this.cacheHeaders.projected(product.etag(selection),
							() -> this.sparse.product(read.json(), selection), headers, response);
				}
				return this.cacheHeaders.product(read, headers, response);
			});
	}

	@GetMapping
	@Operation(summary = "List products",
			description = "Filtered, sorted and paged by page number or by cursor (nextCursor of the previous page). "
					+ "Sends a weak ETag; If-None-Match with it answers 304.")
	@ApiResponse(responseCode = "200", description = "One page",
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = ProductPage.class)))
	Mono<ResponseEntity<byte[]>> list(@Valid @ModelAttribute ProductQuery query,
			@Parameter(description = CURSOR) @RequestParam(required = false) String cursor,
			@Parameter(description = FIELDS) @RequestParam(required = false) String fields,
			@RequestHeader HttpHeaders headers, ServerHttpRequest request, ServerWebExchange exchange) {
		Continuation page = Continuation.of(query, cursor, request.getQueryParams(), this.cursors);
		return page(page, FieldSelection.parse(fields), headers, exchange);
	}

	@GetMapping("/count")
	@Operation(summary = "Count products",
			description = "Takes the same filters as the list. Sends a weak ETag; If-None-Match with it answers 304.")
	@ApiResponse(responseCode = "200", description = "The count",
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = ProductCount.class)))
	Mono<ResponseEntity<byte[]>> count(@Valid @ModelAttribute ProductQuery query, @RequestHeader HttpHeaders headers,
			ServerWebExchange exchange) {
		return ConnectionEventLoop
			.continueOn(exchange, this.products.count(query.filter(), CacheHeaders.noCache(headers)))
			.map((read) -> this.cacheHeaders.weaklyTagged(read, headers, exchange.getResponse()));
	}

	@GetMapping("/wishlist")
	@Operation(summary = "List wishlisted products", description = "Same filters, paging, sort and ETags as the list.")
	@ApiResponse(responseCode = "200", description = "One page",
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = ProductPage.class)))
	Mono<ResponseEntity<byte[]>> wishlist(@Valid @ModelAttribute ProductQuery query,
			@Parameter(description = CURSOR) @RequestParam(required = false) String cursor,
			@Parameter(description = FIELDS) @RequestParam(required = false) String fields,
			@RequestHeader HttpHeaders headers, ServerHttpRequest request, ServerWebExchange exchange) {
		Continuation page = Continuation.of(query.wishlistedOnly(), cursor, request.getQueryParams(), this.cursors);
		return page(page, FieldSelection.parse(fields), headers, exchange);
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Create a product",
			description = "With an Idempotency-Key the create is performed at most once per caller and key for "
					+ "24 h, across instances: a repeat with the same body answers the first response again with "
					+ "Idempotent-Replayed: true; the same key with another body is a 422, a repeat while the "
					+ "first still runs a 409 (with Retry-After), and while Redis cannot be reached keyed "
					+ "creates are refused with 503 (with Retry-After) rather than risk a duplicate. A create "
					+ "that failed is not recorded: retrying it with the same key is safe.")
	@ApiResponse(responseCode = "201", description = "Created (or replayed); Location names the new product",
			headers = { @Header(name = HttpHeaders.LOCATION, description = "The new product's URL"),
					@Header(name = ProductCreation.REPLAYED,
							description = "true when this is the recorded answer of an earlier request with the key",
							schema = @Schema(type = "boolean")) },
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = ProductResponse.class)))
	@ApiResponse(responseCode = "409", description = "A request with this Idempotency-Key is still running",
			headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds until a repeat may get the answer",
					schema = @Schema(type = "integer")),
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
	@ApiResponse(responseCode = "422", description = "This Idempotency-Key was used with another body",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
	@ApiResponse(responseCode = "503",
			description = "MongoDB unreachable, or Redis unreachable for a keyed create; nothing was created",
			headers = @Header(name = HttpHeaders.RETRY_AFTER,
					description = "Seconds to wait before retrying (keyed creates while Redis is unreachable)",
					schema = @Schema(type = "integer")),
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
	Mono<ResponseEntity<byte[]>> create(@Valid @RequestBody ProductRequest request,
			@Parameter(
					description = "Makes a retried create safe: 1..128 visible ASCII characters, "
							+ "unique per intended product (a UUID)",
					example = "3f1c9a52-6a0e-4b8e-9d1e-2f6c1b7d8e90") @RequestHeader(name = IdempotencyKey.HEADER,
							required = false) String idempotencyKey,
			Principal caller, ServerHttpRequest http) {
		return this.creation.create(request, idempotencyKey, caller, http);
	}

	@PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Replace a product's writable fields",
			description = "If-Match is optional; a stale tag answers 412, a lost race with a concurrent writer 409.")
	Mono<ResponseEntity<ProductResponse>> replace(@PathVariable String id, @Valid @RequestBody ProductRequest request,
			@RequestHeader HttpHeaders headers) {
		return this.products.replace(ProductId.checked(id), request, headers.getIfMatch()).map(ProductController::ok);
	}

	@PatchMapping(path = "/{id}", consumes = { MERGE_PATCH_JSON, MediaType.APPLICATION_JSON_VALUE })
	@Operation(summary = "Change some fields (JSON Merge Patch)",
			description = "RFC 7396: members set to null are removed (optional fields fall back to their defaults).")
	Mono<ResponseEntity<ProductResponse>> patch(@PathVariable String id, @RequestBody JsonNode patch,
			@RequestHeader HttpHeaders headers) {
		return this.products.patch(ProductId.checked(id), patch, headers.getIfMatch()).map(ProductController::ok);
	}

	@DeleteMapping("/{id}")
	@Operation(summary = "Delete a product")
	Mono<ResponseEntity<Void>> delete(@PathVariable String id, @RequestHeader HttpHeaders headers) {
		return this.products.delete(ProductId.checked(id), headers.getIfMatch())
			.thenReturn(ResponseEntity.noContent().build());
	}

	@PatchMapping(path = "/{id}/wishlist", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Add a product to the wishlist or take it off")
	Mono<ResponseEntity<ProductResponse>> wishlist(@PathVariable String id,
			@Valid @RequestBody WishlistRequest request) {
		return this.products.setWishlisted(ProductId.checked(id), request.wishlisted()).map(ProductController::ok);
	}

	private Mono<ResponseEntity<byte[]>> page(Continuation page, FieldSelection selection, HttpHeaders headers,
			ServerWebExchange exchange) {
		ServerHttpResponse response = exchange.getResponse();
		return ConnectionEventLoop.continueOn(exchange, this.products.list(page, CacheHeaders.noCache(headers)))
			.map((read) -> (selection != null) ? this.cacheHeaders.weaklyTagged(read, selection,
					(json) -> this.sparse.page(json, selection), headers, response)
					: this.cacheHeaders.weaklyTagged(read, headers, response));
	}

	private static ResponseEntity<ProductResponse> ok(ProductResponse product) {
		return ResponseEntity.ok().eTag(product.etag()).body(product);
	}

}
