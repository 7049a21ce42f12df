package io.productstore.embedded;

import java.nio.file.Path;

import io.productstore.ProductStoreApplication;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EmbeddedMongoConfiguration} and {@link EmbeddedRedisConfiguration}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK,
		properties = { "app.embedded.mongodb.enabled=true", "app.embedded.mongodb.port=0",
				"app.embedded.redis.enabled=true", "app.embedded.redis.port=0", "app.seed.enabled=false" })
class EmbeddedServersIntegrationTests {

	private static final String COLLECTION = "embeddedServersIntegrationTests";

	@TempDir
	static Path dataDirectory;

	@Autowired
	private EmbeddedMongoServer mongoServer;

	@Autowired
	private EmbeddedRedisServer redisServer;

	@Autowired
	private MongoConnectionDetails mongoConnectionDetails;

	@Autowired
	private DataRedisConnectionDetails redisConnectionDetails;

	@Autowired
	private ReactiveMongoTemplate mongoTemplate;

	@Autowired
	private ReactiveStringRedisTemplate redisTemplate;

	@DynamicPropertySource
	static void embeddedDataDirectory(DynamicPropertyRegistry registry) {
		registry.add("app.embedded.mongodb.data-directory", () -> dataDirectory.toString());
	}

	@Test
	void pointsTheMongoClientAtTheEmbeddedServer() {
		assertThat(this.mongoConnectionDetails.getConnectionString().getHosts())
			.containsExactly("127.0.0.1:" + this.mongoServer.port());
		this.mongoTemplate.executeCommand("{ ping: 1 }")
			.map((reply) -> reply.get("ok", Number.class).intValue())
			.as(StepVerifier::create)
			.expectNext(1)
			.verifyComplete();
	}

	@Test
	void answersTheHelloCommandOfTheHealthIndicator() {
		this.mongoTemplate.executeCommand("{ hello: 1 }")
			.map((reply) -> reply.getBoolean("isWritablePrimary"))
			.as(StepVerifier::create)
			.expectNext(true)
			.verifyComplete();
	}

	@Test
	void pointsTheRedisClientAtTheEmbeddedServer() {
		assertThat(this.redisConnectionDetails.getStandalone().getPort()).isEqualTo(this.redisServer.port());
		this.redisTemplate.opsForValue()
			.set("embedded:check", "ok")
			.then(this.redisTemplate.opsForValue().get("embedded:check"))
			.as(StepVerifier::create)
			.expectNext("ok")
			.verifyComplete();
	}

	@Test
	void storesMongoDataInTheConfiguredDirectory() {
		assertThat(dataDirectory.resolve(EmbeddedMongoServer.DATA_FILE_NAME)).isRegularFile();
	}

	@Test
	void keepsMongoDocumentsAcrossRestarts(@TempDir Path otherDataDirectory) {
		try (ConfigurableApplicationContext context = start(otherDataDirectory)) {
			assertThat(otherDataDirectory.resolve(EmbeddedMongoServer.DATA_FILE_NAME)).isRegularFile();
			context.getBean(ReactiveMongoTemplate.class)
				.insert(new Document("_id", "survivor").append("name", "kept"), COLLECTION)
				.as(StepVerifier::create)
				.expectNextCount(1)
				.verifyComplete();
		}
		try (ConfigurableApplicationContext context = start(otherDataDirectory)) {
			context.getBean(ReactiveMongoTemplate.class)
				.findById("survivor", Document.class, COLLECTION)
				.map((document) -> document.getString("name"))
				.as(StepVerifier::create)
				.expectNext("kept")
				.verifyComplete();
		}
	}

	// Command-line arguments, unlike default properties, take precedence over
	// application.yml.
	private static ConfigurableApplicationContext start(Path dataDirectory) {
		return new SpringApplicationBuilder(ProductStoreApplication.class).web(WebApplicationType.REACTIVE)
			.run("--server.port=0", "--app.embedded.mongodb.enabled=true", "--app.embedded.mongodb.port=0",
					"--app.embedded.mongodb.data-directory=" + dataDirectory, "--app.embedded.redis.enabled=true",
					"--app.embedded.redis.port=0", "--app.seed.enabled=false");
	}

}
