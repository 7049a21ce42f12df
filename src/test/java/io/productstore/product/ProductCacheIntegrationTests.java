package io.productstore.product;

import java.util.List;
import java.util.Map;

import io.productstore.ProductStoreApplication;
import io.productstore.cache.CacheRegion;
import io.productstore.cache.admin.CacheAdministration;
import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the Redis-first reads of {@link ProductService}: what is served from Redis,
 * what reaches MongoDB, and that every write makes the next read correct at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import(RealServersConfiguration.class)
class ProductCacheIntegrationTests {

	@Autowired
	WebTestClient client;

	@Autowired
	ReactiveMongoTemplate mongo;

	@Autowired
	CacheAdministration cache;

	@Autowired
	CacheRegion productCache;

	@LocalServerPort
	int port;

	ProductApi api;

	String category;

	@BeforeEach
	void setUp() {
		this.api = new ProductApi(this.client);
		this.category = "cache-" + new ObjectId();
	}

	@Test
	void servesASecondReadFromRedisWithoutQueryingMongo() {
		String id = this.api.createdId(product("category", this.category));
		this.productCache.evict(id).block();
		this.api.get(id).expectStatus().isOk().expectHeader().valueEquals("X-Cache", "MISS");
		// Gone from MongoDB behind the service's back: only a read that skips MongoDB
		// still finds it.
		this.mongo.remove(Query.query(Criteria.where("_id").is(new ObjectId(id))), Product.class).block();
		this.api.get(id)
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Cache", "HIT")
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(id);
	}

	@Test
	void cachesListsAndCountsAndShowsHowEachReadWasServed() {
		this.api.createdId(product("category", this.category));
		String list = "?category=" + this.category;
		this.api.list(list).expectHeader().valueEquals("X-Cache", "MISS");
		this.api.list(list).expectHeader().valueEquals("X-Cache", "HIT");
		// Parameters in another order are the same query and share its entry.
		this.api.list("?size=20&category=" + this.category + "&page=0").expectHeader().valueEquals("X-Cache", "HIT");
		this.api.list("/count" + list).expectHeader().valueEquals("X-Cache", "MISS");
		this.api.list("/count" + list).expectHeader().valueEquals("X-Cache", "HIT");
		this.api.list("/wishlist" + list).expectHeader().valueEquals("X-Cache", "MISS");
	}

	@Test
	void cachesUnknownIdsBrieflySoTheyCannotHammerMongo() {
		String unknown = new ObjectId().toHexString();
		this.api.get(unknown).expectStatus().isNotFound().expectHeader().valueEquals("X-Cache", "MISS");
		this.api.get(unknown).expectStatus().isNotFound().expectHeader().valueEquals("X-Cache", "HIT");
	}

	@Test
	void everyWriteMakesTheNextReadsCorrectAtOnce() {
		String list = "?category=" + this.category + "&sort=price,asc";
		String count = "/count?category=" + this.category;
		String id = this.api.createdId(product("category", this.category, "price", 10));
		warm(id, list, count);
		assertList(list, count, List.of(id), 1);

		String other = this.api.createdId(product("category", this.category, "price", 5));
		assertList(list, count, List.of(other, id), 2);

		warm(id, list, count);
		this.api.replace(id, product("category", this.category, "price", 1, "name", "Replaced"), null)
			.expectStatus()
			.isOk();
		this.api.get(id).expectBody().jsonPath("$.name").isEqualTo("Replaced");
		assertList(list, count, List.of(id, other), 2);

		warm(id, list, count);
		this.api.patch(id, Map.of("category", "elsewhere-" + this.category), null).expectStatus().isOk();
		this.api.get(id).expectBody().jsonPath("$.category").isEqualTo("elsewhere-" + this.category);
		assertList(list, count, List.of(other), 1);

		this.api.list("/wishlist?category=" + this.category).expectBody().jsonPath("$.totalItems").isEqualTo(0);
		this.api.wishlist(other, true, ProductApi.USER).expectStatus().isOk();
		this.api.get(other).expectBody().jsonPath("$.wishlisted").isEqualTo(true);
		this.api.list("/wishlist?category=" + this.category).expectBody().jsonPath("$.totalItems").isEqualTo(1);

		warm(other, list, count);
		this.api.delete(other).expectStatus().isNoContent();
		this.api.get(other).expectStatus().isNotFound();
		assertList(list, count, List.of(), 0);
	}

	@Test
	void noCacheRequestsBypassTheCacheAndRefreshIt() {
		String id = this.api.createdId(product("category", this.category, "stock", 1));
		this.api.get(id).expectHeader().valueEquals("X-Cache", "HIT");
		this.mongo
			.updateFirst(Query.query(Criteria.where("_id").is(new ObjectId(id))), Update.update("stock", 2),
					Product.class)
			.block();
		this.api.getRequest(id)
			.header(HttpHeaders.CACHE_CONTROL, "no-cache")
			.exchange()
			.expectHeader()
			.valueEquals("X-Cache", "BYPASS")
			.expectBody()
			.jsonPath("$.stock")
			.isEqualTo(2);
		this.api.get(id).expectHeader().valueEquals("X-Cache", "HIT").expectBody().jsonPath("$.stock").isEqualTo(2);
	}

	@Test
	void warmsUpRecentProductsAndTheFirstPageOfEachCategoryOnDemand() {
		String id = this.api.createdId(product("category", this.category));
		this.cache.clear().block();
		this.client.post()
			.uri("/api/cache/warmup")
			.headers(ProductApi.as(ProductApi.ADMIN))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.entries")
			.value((Integer entries) -> assertThat(entries).isPositive());
		this.api.get(id).expectHeader().valueEquals("X-Cache", "HIT");
		this.api.list("?category=" + this.category).expectHeader().valueEquals("X-Cache", "HIT");
	}

	@Test
	void loadsAColdProductOnceAcrossTwoInstancesUnderConcurrentReads() {
		String id = this.api.createdId(product("category", this.category));
		try (ConfigurableApplicationContext second = secondInstance()) {
			CacheAdministration secondCache = second.getBean(CacheAdministration.class);
			int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
			// A first burst on another product warms connections, scripts and JIT, so the
			// measured burst sees the engine rather than a cold JVM.
			String warmUp = this.api.createdId(product("category", this.category));
			this.productCache.evict(warmUp).block();
			concurrentReads("/api/products/" + warmUp, 200, this.port, secondPort);
			this.productCache.evict(id).block();
			long before = originReads(this.cache) + originReads(secondCache);
			List<String> outcomes = concurrentReads("/api/products/" + id, 200, this.port, secondPort);
			assertThat(originReads(this.cache) + originReads(secondCache) - before).isEqualTo(1);
			assertThat(outcomes).hasSize(200).containsOnly("200 HIT", "200 MISS");

			String list = "/api/products?sort=name,desc&category=" + this.category;
			before = originReads(this.cache) + originReads(secondCache);
			assertThat(concurrentReads(list, 200, this.port, secondPort)).hasSize(200);
			assertThat(originReads(this.cache) + originReads(secondCache) - before).isEqualTo(1);
		}
	}

	private List<String> concurrentReads(String path, int count, int... ports) {
		List<WebClient> clients = java.util.Arrays.stream(ports)
			.mapToObj((port) -> WebClient.create("http://127.0.0.1:" + port))
			.toList();
		return Flux.range(0, count)
			.flatMap((i) -> clients.get(i % clients.size())
				.get()
				.uri(path)
				.exchangeToMono((response) -> response.releaseBody()
					.thenReturn(response.statusCode().value() + " "
							+ response.headers().asHttpHeaders().getFirst("X-Cache"))),
					count)
			.collectList()
			.block(java.time.Duration.ofSeconds(60));
	}

	private static long originReads(CacheAdministration cache) {
		return cache.stats().block().originReads();
	}

	private static ConfigurableApplicationContext secondInstance() {
		return new SpringApplicationBuilder(ProductStoreApplication.class, RealServersConfiguration.class)
			.profiles("test")
			.run("--server.port=0");
	}

	private void warm(String id, String list, String count) {
		this.api.get(id);
		this.api.list(list).expectStatus().isOk();
		this.api.list(count).expectStatus().isOk();
	}

	private void assertList(String list, String count, List<String> ids, int total) {
		this.api.list(list)
			.expectBody()
			.jsonPath("$.items[*].id")
			.isEqualTo(ids)
			.jsonPath("$.totalItems")
			.isEqualTo(total);
		this.api.list(count).expectBody().jsonPath("$.count").isEqualTo(total);
	}

}
