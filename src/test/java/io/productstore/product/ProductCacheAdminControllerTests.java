package io.productstore.product;

import io.productstore.cache.CacheRegion;
import io.productstore.security.WebLayerTestConfiguration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.csrf;

/**
 * Tests for {@link ProductCacheAdminController}.
 */
@WebFluxTest(ProductCacheAdminController.class)
@Import(WebLayerTestConfiguration.class)
@WithMockUser(roles = "ADMIN")
class ProductCacheAdminControllerTests {

	@Autowired
	private WebTestClient client;

	@MockitoBean
	private CacheRegion cache;

	@Test
	void evictsOneProduct() {
		given(this.cache.evict("65a1f0c2e4b0a1b2c3d4e5f6")).willReturn(Mono.empty());
		this.client.mutateWith(csrf())
			.delete()
			.uri("/api/cache/products/65A1F0C2E4B0A1B2C3D4E5F6")
			.exchange()
			.expectStatus()
			.isNoContent();
		then(this.cache).should().evict("65a1f0c2e4b0a1b2c3d4e5f6");
	}

	@Test
	void rejectsAMalformedProductIdWithAProblem() {
		this.client.mutateWith(csrf())
			.delete()
			.uri("/api/cache/products/{id}", "product:*")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.detail")
			.isEqualTo("Product id must be 24 hexadecimal characters");
		then(this.cache).should(never()).evict(any());
	}

	@Test
	@WithMockUser(roles = "EDITOR")
	void refusesCallersWithoutTheAdminRole() {
		this.client.mutateWith(csrf())
			.delete()
			.uri("/api/cache/products/65a1f0c2e4b0a1b2c3d4e5f6")
			.exchange()
			.expectStatus()
			.isForbidden();
		then(this.cache).should(never()).evict(any());
	}

}
