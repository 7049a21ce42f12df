package io.productstore.product;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code POST /api/products/bulk} against the suite's real MongoDB and Redis
 * servers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import(RealServersConfiguration.class)
class BulkImportIntegrationTests {

	/** Lines every create refuses, each for another reason. */
	private static final List<String> INVALID = List.of("{\"name\":\"\",\"category\":\"c\",\"price\":1}",
			"{\"name\":\"n\",\"category\":\"c\",\"price\":-1}", "{\"name\":\"n\",\"category\":\"c\",\"price\":\"12\"}",
			"{\"name\":\"n\",\"category\":\"c\",\"price\":1,\"colour\":\"red\"}", "{\"name\":\"n\",\"category\":",
			"[1]", "null", "{\"name\":\"n\",\"category\":\"c\",\"price\":1} {\"x\":1}",
			"{\"name\":\"n\",\"category\":\"c\",\"price\":1,\"images\":[\"javascript:alert(1)\"]}",
			"{\"name\":\"n\",\"category\":\"c\",\"price\":1,\"$where\":\"1\"}", "\u00ff\u00fe");

	private static final JsonMapper json = JsonMapper.builder().build();

	WebTestClient client;

	@Autowired
	ReactiveMongoTemplate mongo;

	@LocalServerPort
	int port;

	String category;

	@Autowired
	void client(WebTestClient client) {
		// Answers of 10,000 lines are larger than the default 256 KB.
		this.client = client.mutate()
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
			.build();
	}

	@BeforeEach
	void category() {
		this.category = "bulk-" + new ObjectId();
	}

	@Test
	void importsTenThousandLinesAnsweringEachInOrderAndEndsWithTheFirstLineBeyond() throws Exception {
		StringBuilder body = new StringBuilder();
		List<Integer> expected = new ArrayList<>();
		for (int i = 1; i <= 10_001; i++) {
			boolean invalid = i % 7 == 0;
			body.append(invalid ? INVALID.get(i % INVALID.size()) : line(i)).append('\n');
			expected.add((i == 10_001) ? 413 : invalid ? 400 : 201);
		}
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		System.gc();
		long before = memory.getHeapMemoryUsage().getUsed();
		AtomicLong peak = new AtomicLong(before);
		AtomicLong peakAfterCollection = new AtomicLong();
		ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
		sampler.scheduleAtFixedRate(() -> {
			peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
			peakAfterCollection.accumulateAndGet(liveAfterLastCollection(), Math::max);
		}, 0, 5, TimeUnit.MILLISECONDS);
		List<JsonNode> results;
		try {
			results = results(bulk(ProductApi.EDITOR, body.toString()).expectStatus()
				.isOk()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
				.expectBody(String.class)
				.returnResult()
				.getResponseBody());
		}
		finally {
			sampler.shutdownNow();
		}
		// Printed for docs/benchmarks.md: the whole JVM (test client, body and server).
		System.out.printf(
				"Bulk import of 10,001 lines (%d bytes): heap %d MB before, peak %d MB used (garbage included), "
						+ "peak %d MB live after a collection%n",
				body.length(), before >> 20, peak.get() >> 20, peakAfterCollection.get() >> 20);

		assertThat(results).extracting((result) -> result.get("line").asInt())
			.containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 10_001).boxed().toList());
		assertThat(results).extracting((result) -> result.get("status").asInt()).containsExactlyElementsOf(expected);
		long created = expected.stream().filter((status) -> status == 201).count();
		assertThat(stored()).isEqualTo(created);
		List<String> ids = results.stream()
			.filter((result) -> result.get("status").asInt() == 201)
			.map((result) -> result.get("id").asString())
			.toList();
		assertThat(this.mongo.find(inCategory(), Product.class).map(Product::id).collectList().block())
			.containsExactlyInAnyOrderElementsOf(ids);
		assertThat(results.get(6).get("detail").asString()).isNotBlank();
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })
	void answersAnInvalidLineWithTheErrorsOfASingleCreate(int index) {
		String line = INVALID.get(index);
		JsonNode single = json.readTree(this.client.post()
			.uri("/api/products")
			.headers(ProductApi.as(ProductApi.EDITOR))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(line.getBytes(StandardCharsets.UTF_8))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
		List<JsonNode> results = results(bulk(ProductApi.EDITOR, line(1) + "\n" + line + "\n").expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());

		assertThat(results).hasSize(2);
		assertThat(results.get(0).get("status").asInt()).isEqualTo(201);
		JsonNode result = results.get(1);
		assertThat(result.get("line").asInt()).isEqualTo(2);
		assertThat(result.get("status").asInt()).isEqualTo(400);
		assertThat(result.path("errors")).isEqualTo(single.path("errors"));
		if (single.has("errors")) {
			assertThat(result.get("detail").asString()).isEqualTo(single.get("detail").asString());
		}
		assertThat(stored()).isEqualTo(1);
	}

	@Test
	void makesListsAndCountsUnreachableOncePerBatch(@Autowired StringRedisTemplate redis) {
		this.client.get().uri("/api/products/count?category=" + this.category).exchange().expectStatus().isOk();
		this.client.get()
			.uri("/api/products/count?category=" + this.category)
			.exchange()
			.expectHeader()
			.valueEquals("X-Cache", "HIT");
		long generation = generation(redis);
		StringBuilder body = new StringBuilder();
		for (int i = 1; i <= 1_200; i++) {
			body.append(line(i)).append('\n');
		}
		List<JsonNode> results = results(bulk(ProductApi.EDITOR, body.toString()).expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
		assertThat(results).hasSize(1_200).allMatch((result) -> result.get("status").asInt() == 201);

		// 1,200 lines in batches of 500: three batches, three bumps.
		assertThat(generation(redis)).isEqualTo(generation + 3);
		this.client.get()
			.uri("/api/products/count?category=" + this.category)
			.exchange()
			.expectHeader()
			.valueEquals("X-Cache", "MISS")
			.expectBody()
			.jsonPath("$.count")
			.isEqualTo(1_200);
	}

	@Test
	void answersTheFirstBatchBeforeTheRestOfTheBodyIsSent() {
		Sinks.Many<DataBuffer> body = Sinks.many().unicast().onBackpressureBuffer();
		for (int i = 1; i <= 500; i++) {
			body.tryEmitNext(buffer(line(i) + "\n"));
		}
		Flux<String> answer = WebClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/api/products/bulk")
			.headers(ProductApi.as(ProductApi.EDITOR))
			.contentType(MediaType.APPLICATION_NDJSON)
			.body(BodyInserters.fromDataBuffers(body.asFlux()))
			.retrieve()
			.bodyToFlux(String.class);

		// The first batch is answered while the body is still open: the server reads it
		// as a stream, it does not wait for the end.
		answer.as(StepVerifier::create).expectNextCount(500).then(() -> {
			for (int i = 501; i <= 600; i++) {
				body.tryEmitNext(buffer(line(i) + "\n"));
			}
			body.tryEmitComplete();
		}).expectNextCount(100).expectComplete().verify(Duration.ofSeconds(60));
		assertThat(stored()).isEqualTo(600);
	}

	@Test
	void refusesADeclaredLengthAbove32MiBWith413BeforeReadingIt() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(
					("POST /api/products/bulk HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic ZWRpdG9yOmVkaXRvcg==\r\n"
							+ "Content-Type: application/x-ndjson\r\nContent-Length: " + (32 * 1024 * 1024 + 1)
							+ "\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
			out.write((line(1) + "\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
			assertThat(status).isEqualTo("HTTP/1.1 413");
		}
		assertThat(stored()).isZero();
	}

	@Test
	void endsAnUndeclaredBodyThatGrowsPast32MiBWithA413Line() {
		// Lines of 1 MiB + 2 bytes: each too long for a create, none stored, and the body
		// passes 32 MiB on the 32nd.
		byte[] longLine = new byte[1024 * 1024 + 2];
		java.util.Arrays.fill(longLine, (byte) 'x');
		longLine[longLine.length - 1] = '\n';
		Flux<DataBuffer> body = Flux.range(0, 33).map((i) -> DefaultDataBufferFactory.sharedInstance.wrap(longLine));
		List<JsonNode> results = results(this.client.post()
			.uri("/api/products/bulk")
			.headers(ProductApi.as(ProductApi.EDITOR))
			.contentType(MediaType.APPLICATION_NDJSON)
			.body(BodyInserters.fromDataBuffers(body))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
		assertThat(results).hasSize(32);
		assertThat(results).extracting((result) -> result.get("status").asInt()).containsOnly(413);
		assertThat(results.get(30).get("detail").asString()).contains("longer");
		assertThat(results.get(31).get("line").asInt()).isEqualTo(32);
		assertThat(results.get(31).get("detail").asString()).contains("33554432 bytes");
	}

	@Test
	void needsAnEditorOrAdmin() {
		bulk(null, line(1) + "\n").expectStatus().isUnauthorized();
		bulk(ProductApi.USER, line(1) + "\n").expectStatus().isForbidden();
		bulk(ProductApi.ADMIN, line(1) + "\n").expectStatus().isOk();
		assertThat(stored()).isEqualTo(1);
	}

	@Test
	void refusesOtherContentTypesWith415() {
		this.client.post()
			.uri("/api/products/bulk")
			.headers(ProductApi.as(ProductApi.EDITOR))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(product("category", this.category))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void answersAnEmptyBodyWithNoLines() {
		bulk(ProductApi.EDITOR, "\n\n").expectStatus().isOk().expectBody().isEmpty();
	}

	private String line(int i) {
		return json.writeValueAsString(
				Map.of("name", "Bulk " + i, "category", this.category, "price", i + 0.5, "tags", List.of("bulk")));
	}

	private WebTestClient.ResponseSpec bulk(String user, String body) {
		return this.client.post()
			.uri("/api/products/bulk")
			.headers(ProductApi.as(user))
			.contentType(MediaType.APPLICATION_NDJSON)
			.bodyValue(body.getBytes(StandardCharsets.UTF_8))
			.exchange();
	}

	private static List<JsonNode> results(String ndjson) {
		return (ndjson != null) ? ndjson.lines().map(json::readTree).toList() : List.of();
	}

	/** What the heap's pools held after their last collection: the live set, roughly. */
	private static long liveAfterLastCollection() {
		long used = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			MemoryUsage usage = pool.getCollectionUsage();
			if (pool.getType() == MemoryType.HEAP && usage != null) {
				used += usage.getUsed();
			}
		}
		return used;
	}

	private static DataBuffer buffer(String text) {
		return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

	private long generation(StringRedisTemplate redis) {
		String value = redis.opsForValue().get("productstore:product:gen");
		return (value != null) ? Long.parseLong(value) : 0;
	}

	private long stored() {
		return this.mongo.count(inCategory(), Product.class).block();
	}

	private Query inCategory() {
		return new Query(Criteria.where("category").is(this.category));
	}

}
