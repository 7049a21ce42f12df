package io.productstore.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProblemResponsesCustomizer}.
 */
class ProblemResponsesCustomizerTests {

	private final Operation list = new Operation();

	private final Operation read = new Operation();

	private final Operation replace = new Operation().requestBody(new RequestBody());

	private final Operation wishlist = new Operation().requestBody(new RequestBody());

	private final Operation stats = new Operation();

	private final Operation health = new Operation();

	private final OpenAPI openApi = new OpenAPI().components(new Components())
		.paths(new Paths().addPathItem("/api/products", new PathItem().get(this.list))
			.addPathItem("/api/products/{id}", new PathItem().get(this.read).put(this.replace))
			.addPathItem("/api/products/{id}/wishlist", new PathItem().patch(this.wishlist))
			.addPathItem("/api/cache/stats", new PathItem().get(this.stats))
			.addPathItem("/actuator/health", new PathItem().get(this.health)));

	@Test
	void addsTheProblemSchema() {
		customize();
		assertThat(this.openApi.getComponents().getSchemas().get("Problem").getProperties()).containsKeys("type",
				"title", "status", "detail", "instance", "errors");
	}

	@Test
	void documentsPublicReads() {
		customize();
		assertThat(this.list.getResponses()).containsKeys("400", "429", "503").doesNotContainKeys("401", "404", "409");
		assertThat(this.list.getSecurity()).isNull();
		assertThat(this.read.getResponses()).containsKeys("400", "404", "429", "503");
		assertThat(this.read.getResponses().get("404").getContent()).containsKey("application/problem+json");
	}

	@Test
	void documentsCredentialsConflictsAndBodiesOfWrites() {
		customize();
		assertThat(this.replace.getResponses()).containsKeys("400", "401", "403", "404", "409", "412", "413", "415",
				"429", "503");
		assertThat(this.replace.getSecurity()).singleElement()
			.satisfies((requirement) -> assertThat(requirement).containsKey("basicAuth"));
		assertThat(this.wishlist.getResponses()).containsKeys("401").doesNotContainKey("403");
		assertThat(this.stats.getResponses()).containsKeys("401", "403");
		assertThat(this.stats.getSecurity()).isNotEmpty();
	}

	@Test
	void keepsResponsesTheControllerDocumented() {
		ApiResponse own = new ApiResponse().description("No product with this id");
		this.read.responses(new ApiResponses().addApiResponse("404", own));
		customize();
		assertThat(this.read.getResponses().get("404")).isSameAs(own);
	}

	@Test
	void leavesRoutesOutsideTheApiAlone() {
		customize();
		assertThat(this.health.getResponses()).isNull();
	}

	private void customize() {
		new ProblemResponsesCustomizer().customise(this.openApi);
	}

}
