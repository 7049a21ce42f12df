package io.productstore.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.productstore.logging.RequestLogging;
import io.productstore.security.WebLayerTestConfiguration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RequestIdFilter}.
 */
@WebFluxTest(controllers = RequestIdFilterTests.LoggingController.class)
@Import({ WebLayerTestConfiguration.class, RequestIdFilterTests.LoggingController.class })
@ExtendWith(OutputCaptureExtension.class)
class RequestIdFilterTests {

	@Autowired
	private WebTestClient client;

	@Test
	void echoesTheCallersRequestId() {
		assertThat(requestIdOf("/test/log", "checkout-42.retry_1")).isEqualTo("checkout-42.retry_1");
	}

	@Test
	void generatesARequestIdWhenNoneIsGiven() {
		assertThat(UUID.fromString(requestIdOf("/test/log", null)).version()).isEqualTo(4);
	}

	@Test
	void generatesDistinctVersion4Uuids() {
		Set<UUID> ids = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			UUID id = RequestIdFilter.randomUuid();
			assertThat(id.version()).isEqualTo(4);
			assertThat(id.variant()).isEqualTo(2);
			ids.add(id);
		}
		assertThat(ids).hasSize(10_000);
	}

	@Test
	void replacesUnsafeRequestIds() {
		String unsafe = "id with spaces\"";
		String tooLong = "x".repeat(65);
		assertThat(requestIdOf("/test/log", unsafe)).isNotEqualTo(unsafe).matches(this::isUuid);
		assertThat(requestIdOf("/test/log", tooLong)).isNotEqualTo(tooLong).matches(this::isUuid);
	}

	@Test
	void echoesTheRequestIdOnErrorsAndRefusals() {
		assertThat(requestIdOf("/nope", "missing-page")).isEqualTo("missing-page");
		this.client.delete()
			.uri("/api/cache")
			.header(RequestIdFilter.HEADER, "refused-1")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(RequestIdFilter.HEADER, "refused-1");
	}

	@Test
	void putsTheRequestIdInLogLinesOfTheRequestOnOtherThreads(CapturedOutput output) {
		requestIdOf("/test/log", "log-me-7");
		assertThat(output.getOut().lines().filter((line) -> line.contains(LoggingController.MESSAGE))).singleElement()
			.asString()
			.contains("[log-me-7] ")
			.doesNotContain("[" + Thread.currentThread().getName() + "]");
	}

	@Test
	void putsAGeneratedRequestIdInLogLines(CapturedOutput output) {
		String generated = requestIdOf("/test/log", null);
		assertThat(output.getOut()).contains("[" + generated + "] ");
	}

	@Test
	void putsTheRequestIdIntoEcsJsonLines() {
		// The prod profile's format, attached to one logger: Boot sets up logging once
		// per JVM.
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		StructuredLogEncoder encoder = new StructuredLogEncoder();
		encoder.setContext(context);
		encoder.setFormat("ecs");
		encoder.start();
		ByteArrayOutputStream json = new ByteArrayOutputStream();
		OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
		appender.setContext(context);
		appender.setEncoder(encoder);
		appender.setOutputStream(json);
		appender.start();
		Logger logger = context.getLogger(LoggingController.class);
		logger.addAppender(appender);
		try {
			requestIdOf("/test/log", "ecs-line-3");
		}
		finally {
			logger.detachAppender(appender);
			appender.stop();
		}
		assertThat(json.toString(StandardCharsets.UTF_8)).startsWith("{")
			.contains("\"message\":\"" + LoggingController.MESSAGE + "\"")
			.contains("\"requestId\":\"ecs-line-3\"");
	}

	private String requestIdOf(String path, String given) {
		return this.client.get().uri(path).headers((headers) -> {
			if (given != null) {
				headers.set(RequestIdFilter.HEADER, given);
			}
		}).exchange().returnResult(String.class).getResponseHeaders().getFirst(RequestIdFilter.HEADER);
	}

	private boolean isUuid(String id) {
		return id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
	}

	@RestController
	static class LoggingController {

		static final String MESSAGE = "handled after a hop to a timer thread";

		private static final Log logger = LogFactory.getLog(LoggingController.class);

		@GetMapping("/test/log")
		Mono<String> log() {
			// As the service's statements on request paths log: with the request id of
			// the subscriber's context.
			return Mono.delay(Duration.ofMillis(5))
				.flatMap((tick) -> RequestLogging.logThen(() -> logger.info(MESSAGE), () -> Mono.just("logged")));
		}

	}

}
