package io.productstore.product;

import io.productstore.cache.admin.CacheAdministration;
import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the HTTP caching of product reads ({@link CacheHeaders}): entity tags that
 * answer revalidations from the cache, and {@code Cache-Control} only where it belongs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import(RealServersConfiguration.class)
class ProductHttpCachingIntegrationTests {

	private static final String PUBLIC = "max-age=5, public, stale-while-revalidate=30";

	@Autowired
	WebTestClient client;

	@Autowired
	CacheAdministration cache;

	ProductApi api;

	String category;

	@BeforeEach
	void setUp() {
		this.api = new ProductApi(this.client);
		this.category = "http-" + new ObjectId();
	}

	@Test
	void answersRevalidationsOfListsCountsAndProductsWith304WithoutReadingMongo() {
		String id = this.api.createdId(product("category", this.category));
		String list = "?category=" + this.category;
		String listTag = etag(list);
		String countTag = etag("/count" + list);
		assertThat(listTag).startsWith("W/\"");
		assertThat(countTag).startsWith("W/\"").isNotEqualTo(listTag);
		String productTag = this.api.get(id).returnResult(byte[].class).getResponseHeaders().getETag();
		long originReads = originReads();
		for (String[] request : new String[][] { { "/api/products" + list, listTag },
				{ "/api/products/count" + list, countTag }, { "/api/products/" + id, productTag } }) {
			this.client.get()
				.uri(request[0])
				.header(HttpHeaders.IF_NONE_MATCH, request[1])
				.exchange()
				.expectStatus()
				.isNotModified()
				.expectHeader()
				.valueEquals(HttpHeaders.ETAG, request[1])
				.expectHeader()
				.valueEquals(HttpHeaders.CACHE_CONTROL, PUBLIC)
				.expectHeader()
				.valueEquals("X-Cache", "HIT")
				.expectBody()
				.isEmpty();
		}
		assertThat(originReads()).isEqualTo(originReads);

		this.api.createdId(product("category", this.category));
		this.client.get()
			.uri("/api/products" + list)
			.header(HttpHeaders.IF_NONE_MATCH, listTag)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.totalItems")
			.isEqualTo(2);
	}

	@Test
	void sendsPublicCacheControlOnlyOnAnonymousProductReads() {
		String id = this.api.createdId(product("category", this.category));
		this.api.get(id).expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, PUBLIC);
		this.api.list("?category=" + this.category).expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, PUBLIC);
		this.api.list("/count").expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, PUBLIC);
		this.api.list("/wishlist").expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, PUBLIC);

		this.client.get()
			.uri("/api/products/{id}", id)
			.headers(ProductApi.as(ProductApi.USER))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.value(HttpHeaders.CACHE_CONTROL,
					(value) -> assertThat(value).contains("no-store").doesNotContain("public"));
		this.api.get(new ObjectId().toHexString())
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.value(HttpHeaders.CACHE_CONTROL, (value) -> assertThat(value).contains("no-store"));
		this.api.replace(id, product("category", this.category), null)
			.expectHeader()
			.value(HttpHeaders.CACHE_CONTROL, (value) -> assertThat(value).contains("no-store"));
		this.client.get()
			.uri("/api/cache/stats")
			.headers(ProductApi.as(ProductApi.ADMIN))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.value(HttpHeaders.CACHE_CONTROL, (value) -> assertThat(value).contains("no-store"));
	}

	private String etag(String query) {
		return this.api.list(query)
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.CACHE_CONTROL, PUBLIC)
			.returnResult(byte[].class)
			.getResponseHeaders()
			.getETag();
	}

	private long originReads() {
		return this.cache.stats().block().originReads();
	}

}
