package io.productstore.logging;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import io.productstore.support.TestServers;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RequestLogging} in the running service: without thread locals restored
 * around every operator, every line the service's code logs while handling a request
 * carries that request's id, including lines written on Lettuce's threads (after a Redis
 * reply) and on the MongoDB driver's (after a MongoDB reply).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import(RealServersConfiguration.class)
class RequestLoggingIntegrationTests {

	private static final String REQUEST_ID = "X-Request-Id";

	private final Lines lines = new Lines();

	private Logger service;

	private Level level;

	@Autowired
	WebTestClient client;

	@BeforeEach
	void captureTheServicesLines() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		this.service = context.getLogger("io.productstore");
		this.level = this.service.getLevel();
		// DEBUG too: the debug lines of a request must carry the id as well.
		this.service.setLevel(Level.DEBUG);
		this.lines.setContext(context);
		this.lines.start();
		this.service.addAppender(this.lines);
	}

	@AfterEach
	void stopCapturing() {
		this.service.detachAppender(this.lines);
		this.lines.stop();
		this.service.setLevel(this.level);
	}

	private void assertEveryLineCarries(String requestId) {
		// A fresh context may still report its index creation, which is no line of the
		// request. Spring's request mapping writes its debug line "Mapped to ..." under
		// the name of the service's subclass of it (web/PathFirstRequestMappings), with
		// the exchange's log prefix: a line of Spring's code, as it was before the
		// subclass, when it went under Spring's name.
		assertThat(this.lines.all()).filteredOn((line) -> !line.logger().endsWith(".ProductIndexes"))
			.filteredOn((line) -> !line.logger().endsWith("$PathFirstRequestMappingHandlerMapping"))
			.isNotEmpty()
			.allSatisfy((line) -> assertThat(line.requestId()).as(line.toString()).isEqualTo(requestId));
	}

	/**
	 * With the cache: a corrupt entry in Redis is dropped, and the line saying so is
	 * written on a Lettuce thread, where the reply came in.
	 */
	@Nested
	@TestPropertySource(properties = { "app.cache.key-prefix=request-logging-it:", "app.cache.near.enabled=false" })
	class ThroughRedis {

		@Test
		void putsTheRequestIdIntoLinesWrittenOnLettuceThreads() {
			ProductApi api = new ProductApi(RequestLoggingIntegrationTests.this.client);
			String id = api.createdId(product("name", "Logged kettle"));
			corruptCachedEntryOf(id);
			RequestLoggingIntegrationTests.this.lines.clear();

			api.getRequest(id).header(REQUEST_ID, "corrupt-entry-1").exchange().expectStatus().isOk();

			List<Line> logged = RequestLoggingIntegrationTests.this.lines.of("Dropping unreadable cache entry");
			assertThat(logged).isNotEmpty()
				.allSatisfy((line) -> assertThat(line.thread()).as("thread of " + line).startsWith("lettuce-"));
			assertEveryLineCarries("corrupt-entry-1");
		}

		private void corruptCachedEntryOf(String id) {
			RedisClient redis = RedisClient
				.create(RedisURI.create(TestServers.redis().host(), TestServers.redis().port()));
			try (StatefulRedisConnection<String, String> connection = redis.connect()) {
				List<String> keys = connection.sync().keys("request-logging-it:*{" + id + "}");
				assertThat(keys).as("the cached entry of " + id).hasSize(1);
				connection.sync().set(keys.get(0), "not an entry");
			}
			finally {
				redis.shutdown();
			}
		}

	}

	/**
	 * Without the cache: a document that cannot be read fails the request on the MongoDB
	 * driver's thread, where the problem details advice logs it.
	 */
	@Nested
	@TestPropertySource(properties = "app.cache.enabled=false")
	class ThroughMongo {

		@Autowired
		ReactiveMongoTemplate mongo;

		@Test
		void putsTheRequestIdIntoLinesWrittenOnMongoDbDriverThreads() {
			ObjectId id = new ObjectId();
			this.mongo
				.insert(new Document(Map.of("_id", id, "name", "Unreadable", "version", "not a number")), "products")
				.as(StepVerifier::create)
				.expectNextCount(1)
				.verifyComplete();
			RequestLoggingIntegrationTests.this.lines.clear();

			try {
				RequestLoggingIntegrationTests.this.client.get()
					.uri("/api/products/{id}", id.toHexString())
					.header(REQUEST_ID, "unreadable-document-2")
					.exchange()
					.expectStatus()
					.is5xxServerError();
			}
			finally {
				// The suite's MongoDB is shared: other tests (the warm-up's) read every
				// product.
				this.mongo.remove(Query.query(Criteria.where("_id").is(id)), "products").block();
			}

			List<Line> logged = RequestLoggingIntegrationTests.this.lines.of("Unexpected error");
			assertThat(logged).isNotEmpty()
				// The driver's Netty event loop, nioEventLoopGroup-N-M.
				.allSatisfy((line) -> assertThat(line.thread()).as("thread of " + line)
					.doesNotStartWith("reactor-http-")
					.doesNotStartWith("lettuce-")
					.isNotEqualTo(Thread.currentThread().getName()));
			assertEveryLineCarries("unreadable-document-2");
		}

	}

	/**
	 * One captured line.
	 *
	 * @param logger the logger's name
	 * @param thread the thread that wrote it
	 * @param requestId the request id of its MDC, or {@code null}
	 * @param message its message
	 */
	record Line(String logger, String thread, String requestId, String message) {

	}

	/**
	 * The lines of the service's loggers, with the MDC as it was when each was written.
	 */
	static final class Lines extends AppenderBase<ILoggingEvent> {

		private final List<Line> lines = new CopyOnWriteArrayList<>();

		@Override
		protected void append(ILoggingEvent event) {
			this.lines.add(new Line(event.getLoggerName(), event.getThreadName(),
					event.getMDCPropertyMap().get(RequestLogging.KEY), event.getFormattedMessage()));
		}

		List<Line> all() {
			return List.copyOf(this.lines);
		}

		List<Line> of(String text) {
			return this.lines.stream().filter((line) -> line.message().contains(text)).toList();
		}

		void clear() {
			this.lines.clear();
		}

	}

}
