package io.productstore.openapi;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Documents the problem responses every {@code /api/**} operation can give, and the
 * {@code basicAuth} requirement of those that need credentials.
 */
class ProblemResponsesCustomizer implements OpenApiCustomizer {

	static final String PROBLEM = "Problem";

	private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	@Override
	public void customise(OpenAPI openApi) {
		openApi.getComponents().addSchemas(PROBLEM, problemSchema());
		if (openApi.getPaths() == null) {
			return;
		}
		openApi.getPaths().forEach((path, item) -> {
			if (path.startsWith("/api/")) {
				item.readOperationsMap().forEach((method, operation) -> document(path, method, operation));
			}
		});
	}

	private void document(String path, PathItem.HttpMethod method, Operation operation) {
		if (operation.getResponses() == null) {
			operation.setResponses(new ApiResponses());
		}
		Map<String, ApiResponse> responses = operation.getResponses();
		boolean write = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD;
		responses.putIfAbsent("400", problem("Invalid request: malformed id, body or parameters"));
		if (path.contains("{")) {
			responses.putIfAbsent("404", problem("No such resource"));
		}
		if ((path.startsWith("/api/products") && write) || path.startsWith("/api/cache")) {
			responses.putIfAbsent("401", problem("Missing or wrong credentials").addHeaderObject("WWW-Authenticate",
					new Header().description("Basic realm=\"product-store\"").schema(new StringSchema())));
			if (!path.endsWith("/wishlist")) {
				responses.putIfAbsent("403", problem("Authenticated, but without the required role"));
			}
			operation.setSecurity(List.of(new SecurityRequirement().addList(OpenApiConfiguration.BASIC_AUTH)));
		}
		if (method == PathItem.HttpMethod.PUT || method == PathItem.HttpMethod.PATCH
				|| method == PathItem.HttpMethod.DELETE) {
			responses.putIfAbsent("409", problem("A concurrent update lost the optimistic-lock race"));
			responses.putIfAbsent("412", problem("If-Match does not match the current ETag"));
		}
		if (operation.getRequestBody() != null) {
			responses.putIfAbsent("413", problem("Request body over 1 MiB"));
			responses.putIfAbsent("415", problem("Unsupported content type"));
		}
		responses.putIfAbsent("429", problem("Rate limit exceeded").addHeaderObject("Retry-After",
				new Header().description("Seconds to wait before retrying").schema(new IntegerSchema())));
		responses.putIfAbsent("503", problem("MongoDB unreachable; nothing was changed"));
	}

	private static ApiResponse problem(String description) {
		Schema<?> ref = new Schema<>().$ref("#/components/schemas/" + PROBLEM);
		return new ApiResponse().description(description)
			.content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(ref)));
	}

	private static Schema<?> problemSchema() {
		Schema<?> field = new ObjectSchema().addProperty("field", new StringSchema().example("price"))
			.addProperty("message", new StringSchema().example("must be greater than or equal to 0"));
		return new ObjectSchema().description("RFC 9457 problem details")
			.addProperty("type",
					new StringSchema().format("uri").example("https://productstore.example/problems/validation"))
			.addProperty("title", new StringSchema().example("Validation failed"))
			.addProperty("status", new IntegerSchema().example(400))
			.addProperty("detail", new StringSchema().example("1 field is invalid"))
			.addProperty("instance", new StringSchema().format("uri").example("/api/products"))
			.addProperty("errors", new ArraySchema().items(field));
	}

}
