package io.productstore.product;

import java.util.List;

import io.productstore.web.ConnectionEventLoop;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The facets of the product listing at {@code /api/products/facets}, for filter sidebars.
 */
@RestController
@RequestMapping("/api/products")
@Tag(name = "Products")
class ProductFacetsController {

	/**
	 * A list's paging parameters, which facets (of all matching products) do not take.
	 */
	static final List<String> NOT_FACET_PARAMETERS = List.of("page", "size", "sort", CursorCodec.PARAMETER);

	private final ProductService products;

	private final CacheHeaders cacheHeaders;

	ProductFacetsController(ProductService products, CacheHeaders cacheHeaders) {
		this.products = products;
		this.cacheHeaders = cacheHeaders;
	}

	@GetMapping("/facets")
	@Operation(summary = "Facets for a filter sidebar",
			description = "Exact counts per category and tag (most first, then by value) and the price range of the "
					+ "products that match the list filters (not page, size, sort or cursor: those are a 400). "
					+ "Cached and invalidated like counts; sends a weak ETag, If-None-Match with it answers 304.")
	@ApiResponse(responseCode = "200", description = "The facets",
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = ProductFacets.class)))
	Mono<ResponseEntity<byte[]>> facets(@Valid @ModelAttribute ProductQuery query, @RequestHeader HttpHeaders headers,
			ServerHttpRequest request, ServerWebExchange exchange) {
		for (String paging : NOT_FACET_PARAMETERS) {
			if (request.getQueryParams().containsKey(paging)) {
				throw new InvalidParameterException(paging, "facets take the list filters only");
			}
		}
		return ConnectionEventLoop
			.continueOn(exchange, this.products.facets(query.filter(), CacheHeaders.noCache(headers)))
			.map((read) -> this.cacheHeaders.weaklyTagged(read, headers, exchange.getResponse()));
	}

}
