package io.productstore.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document behind {@code /v3/api-docs} and Swagger UI: description, the
 * {@code basicAuth} scheme and the problem responses of every operation.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String BASIC_AUTH = "basicAuth";

	private static final String DESCRIPTION = """
			Reactive product catalogue over MongoDB with a Redis-first cache.

			Reads of products are public. Writes need HTTP Basic credentials of a user with \
			role EDITOR or ADMIN, the wishlist endpoint any authenticated user, and \
			`/api/cache/**` role ADMIN.

			Every error is `application/problem+json` (RFC 9457) with `type`, `title`, \
			`status`, `detail`, `instance` and, for invalid fields, an `errors` array of \
			`{field, message}`. A lost optimistic-lock race answers 409, an `If-Match` \
			mismatch 412. Every response carries `X-Response-Time`; cacheable reads carry \
			`X-Cache` (`HIT`, `MISS` or `BYPASS`).""";

	@Bean
	OpenAPI productStoreOpenApi(ObjectProvider<BuildProperties> build) {
		BuildProperties properties = build.getIfAvailable();
		String version = (properties != null) ? properties.getVersion() : "dev";
		return new OpenAPI()
			.info(new Info().title("Product Store API")
				.description(DESCRIPTION)
				.version(version)
				.license(new License().name("Apache-2.0")))
			.components(new Components().addSecuritySchemes(BASIC_AUTH,
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("basic")
						.description("HTTP Basic with the users of app.security.users")));
	}

	/**
	 * Drops query parameters with a dot in their name. Flattening the query records into
	 * one parameter per field (springdoc's {@code default-flat-param-object}) also walks
	 * into static constants of the JDK types some fields use ({@code DATE_FORMATTER.*},
	 * {@code DECIMAL_FORMAT_SYMBOLS.*}): they are no parameters of this API, which
	 * refuses dotted names (400), and Swagger UI's "Try it out" would send them.
	 */
	@Bean
	OpenApiCustomizer plainQueryParameters() {
		return (openApi) -> openApi.getPaths()
			.values()
			.forEach((path) -> path.readOperations()
				.stream()
				.filter((operation) -> operation.getParameters() != null)
				.forEach((operation) -> operation.getParameters()
					.removeIf((parameter) -> "query".equals(parameter.getIn()) && parameter.getName().contains("."))));
	}

	@Bean
	ProblemResponsesCustomizer problemResponsesCustomizer() {
		return new ProblemResponsesCustomizer();
	}

}
