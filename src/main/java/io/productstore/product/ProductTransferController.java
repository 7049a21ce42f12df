package io.productstore.product;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import reactor.core.publisher.Flux;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Bulk import and export of products as NDJSON, streamed both ways.
 */
@RestController
@RequestMapping("/api/products")
@Tag(name = "Products")
class ProductTransferController {

	static final String BULK_PATH = "/api/products/bulk";

	private static final List<String> NOT_EXPORT_PARAMETERS = List.of("page", "size", "sort", "cursor");

	private final BulkImport bulkImport;

	private final ProductRepository repository;

	ProductTransferController(BulkImport bulkImport, ProductRepository repository) {
		this.bulkImport = bulkImport;
		this.repository = repository;
	}

	@PostMapping(path = "/bulk", consumes = MediaType.APPLICATION_NDJSON_VALUE,
			produces = MediaType.APPLICATION_NDJSON_VALUE)
	@Operation(summary = "Import products (NDJSON)",
			description = "One product request per line, each read and validated exactly like POST /api/products; "
					+ "valid lines are stored in batches (one insertMany and one cache invalidation each), invalid "
					+ "ones reported and skipped. Answers 200 with one result per non-blank line, in input order, "
					+ "streamed as the body is read. At most 10,000 lines (app.bulk-import.max-lines) and 32 MiB "
					+ "(app.bulk-import.max-size): a declared Content-Length above the size is refused with 413 "
					+ "before anything is stored; a line past the line limit, or a body without Content-Length "
					+ "that grows past the size, ends the stream with a result of status 413 for the first line "
					+ "not read (the lines before it were stored or reported). A line longer than a create's body "
					+ "(1 MiB) is answered 413 and skipped. Should MongoDB fail, that batch's lines are answered "
					+ "503 with the id they have if they were stored, and a last 503 result ends the import.",
			requestBody = @RequestBody(required = true,
					content = @Content(mediaType = MediaType.APPLICATION_NDJSON_VALUE,
							schema = @Schema(implementation = ProductRequest.class))))
	@ApiResponse(responseCode = "200", description = "One result per line, streamed",
			content = @Content(mediaType = MediaType.APPLICATION_NDJSON_VALUE,
					schema = @Schema(implementation = ImportResult.class)))
	@ApiResponse(responseCode = "413", description = "Content-Length above the import's size limit",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
	Flux<ImportResult> importProducts(ServerHttpRequest request) {
		return this.bulkImport.run(request.getBody());
	}

	@GetMapping(path = "/export", produces = MediaType.APPLICATION_NDJSON_VALUE)
	@Operation(summary = "Export products (NDJSON)",
			description = "Every product the list filters match, one per line in _id order, streamed from MongoDB "
					+ "as the client reads (never all in memory, not cached). Takes the filters of the list, not "
					+ "page, size, sort or cursor (400).")
	@ApiResponse(responseCode = "200", description = "The products, one JSON object per line",
			content = @Content(mediaType = MediaType.APPLICATION_NDJSON_VALUE,
					schema = @Schema(implementation = ProductResponse.class)))
	Flux<ProductResponse> export(@Valid @ModelAttribute ProductFilterParameters filter, ServerHttpRequest request) {
		for (String name : NOT_EXPORT_PARAMETERS) {
			if (request.getQueryParams().containsKey(name)) {
				throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
						"'" + name + "' does not apply to an export: it takes the list filters only");
			}
		}
		return this.repository.export(filter.filter()).map(ProductResponse::from);
	}

}
