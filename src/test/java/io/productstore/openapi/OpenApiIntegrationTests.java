package io.productstore.openapi;

import java.util.List;

import io.productstore.support.RealServersConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OpenApiConfiguration}, against the whole application.
 */
@SpringBootTest
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import(RealServersConfiguration.class)
class OpenApiIntegrationTests {

	// The header of io.productstore.web.ResponseTimeFilter, as a client sees it.
	private static final String RESPONSE_TIME = "X-Response-Time";

	private static final String MILLIS = "\\d+\\.\\d{3}ms";

	@Autowired
	private WebTestClient client;

	@Test
	void servesTheOpenApiDocumentWithTheBasicAuthScheme() {
		this.client.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectHeader()
			.valueMatches(RESPONSE_TIME, MILLIS)
			.expectBody()
			.jsonPath("$.info.title")
			.isEqualTo("Product Store API")
			.jsonPath("$.components.securitySchemes.basicAuth.type")
			.isEqualTo("http")
			.jsonPath("$.components.securitySchemes.basicAuth.scheme")
			.isEqualTo("basic")
			.jsonPath("$.components.schemas.Problem.properties.errors")
			.exists();
	}

	@Test
	void listsOnlyTheQueryParametersTheApiTakes() {
		this.client.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectBody()
			.jsonPath("$.paths['/api/products'].get.parameters[*].name")
			.value((List<String> names) -> assertThat(names).contains("category", "minPrice", "sort", "page")
				.noneMatch((name) -> name.contains(".")));
	}

	@Test
	void documentsCursorsFieldsAndFacets() {
		this.client.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectBody()
			.jsonPath("$.paths['/api/products'].get.parameters[*].name")
			.value((List<String> names) -> assertThat(names).contains("cursor", "fields"))
			.jsonPath("$.paths['/api/products/wishlist'].get.parameters[*].name")
			.value((List<String> names) -> assertThat(names).contains("cursor", "fields"))
			.jsonPath("$.paths['/api/products/{id}'].get.parameters[*].name")
			.value((List<String> names) -> assertThat(names).contains("id", "fields"))
			.jsonPath("$.paths['/api/products/facets'].get.parameters[*].name")
			.value((List<String> names) -> assertThat(names).contains("category", "tag", "minPrice", "q")
				.doesNotContain("page", "size", "sort", "cursor"))
			.jsonPath("$.paths['/api/products/facets'].get.responses['200'].content['application/json'].schema['$ref']")
			.isEqualTo("#/components/schemas/ProductFacets")
			.jsonPath("$.components.schemas.ProductPage.properties.nextCursor")
			.exists()
			.jsonPath("$.components.schemas.ProductFacets.properties.price")
			.exists();
	}

	@Test
	void servesSwaggerUi() {
		String location = this.client.get()
			.uri("/swagger-ui.html")
			.exchange()
			.expectStatus()
			.is3xxRedirection()
			.expectHeader()
			.valueMatches(RESPONSE_TIME, MILLIS)
			.returnResult(Void.class)
			.getResponseHeaders()
			.getLocation()
			.toString();
		this.client.get()
			.uri(location)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML);
	}

	@Test
	void keepsHealthPublicAndTimed() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectHeader()
			.valueMatches(RESPONSE_TIME, MILLIS)
			.expectHeader()
			.doesNotExist("WWW-Authenticate");
	}

	@Test
	void answersUnknownApiRoutesWithAProblem() {
		this.client.get()
			.uri("/api/nope")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.instance")
			.isEqualTo("/api/nope");
	}

}
