package io.productstore.web;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

import com.mongodb.MongoTimeoutException;
import io.productstore.security.WebLayerTestConfiguration;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tests for {@link ProblemDetailsAdvice}.
 */
@WebFluxTest(controllers = ProblemDetailsAdviceTests.ThrowingController.class)
@Import({ WebLayerTestConfiguration.class, ProblemDetailsAdviceTests.ThrowingController.class })
@ExtendWith(OutputCaptureExtension.class)
class ProblemDetailsAdviceTests {

	private static final String BASE = "https://productstore.example/problems/";

	@Autowired
	private WebTestClient client;

	@Test
	void reportsEveryInvalidFieldOfAValidatedBody() {
		post("{\"name\":\" \",\"price\":-1,\"tags\":[\"ok\",\"fine\",\"far-too-long\"]}").expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(BASE + "validation")
			.jsonPath("$.title")
			.isEqualTo("Validation failed")
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.detail")
			.isEqualTo("3 fields are invalid")
			.jsonPath("$.instance")
			.isEqualTo("/test/products")
			.jsonPath("$.errors.length()")
			.isEqualTo(3)
			.jsonPath("$.errors[?(@.field == 'name')].message")
			.isEqualTo("must not be blank")
			.jsonPath("$.errors[?(@.field == 'price')].message")
			.isEqualTo("must be greater than or equal to 0")
			.jsonPath("$.errors[?(@.field == 'tags[2]')].message")
			.isEqualTo("size must be between 1 and 5");
	}

	@Test
	void reportsInvalidRequestParametersByName() {
		this.client.get()
			.uri("/test/page?size=500")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(BASE + "validation")
			.jsonPath("$.errors[0].field")
			.isEqualTo("size")
			.jsonPath("$.errors[0].message")
			.isEqualTo("must be less than or equal to 100");
	}

	@Test
	void reportsConstraintViolationsByPropertyPath() {
		this.client.get()
			.uri("/test/constraint-violation")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(BASE + "validation")
			.jsonPath("$.errors[?(@.field == 'name')]")
			.exists()
			.jsonPath("$.errors[?(@.field == 'price')]")
			.exists();
	}

	@Test
	void namesAnUnknownField() {
		post("{\"name\":\"Mug\",\"price\":3,\"colour\":\"red\"}").expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(BASE + "malformed-body")
			.jsonPath("$.detail")
			.isEqualTo("Unknown field 'colour'")
			.jsonPath("$.errors[0].field")
			.isEqualTo("colour");
	}

	@Test
	void namesAFieldOfTheWrongType() {
		post("{\"name\":\"Mug\",\"price\":\"cheap\"}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("Invalid value for field 'price': must be a number")
			.jsonPath("$.errors[0].field")
			.isEqualTo("price")
			.jsonPath("$.errors[0].message")
			.isEqualTo("must be a number");
	}

	@Test
	void namesAnArrayElementOfTheWrongType() {
		post("{\"name\":\"Mug\",\"price\":1,\"tags\":[\"a\",{}]}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("tags[1]");
	}

	@Test
	void explainsMalformedJsonWithoutInternals() {
		post("{\"name\": \"Mug\", ").expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(BASE + "malformed-body")
			.jsonPath("$.detail")
			.value((String detail) -> {
				org.assertj.core.api.Assertions.assertThat(detail).startsWith("Malformed JSON");
				org.assertj.core.api.Assertions.assertThat(detail).doesNotContain("jackson", "Exception");
			});
	}

	@Test
	void refusesADeclaredContentLengthOverOneMebibyte() {
		this.client.post()
			.uri("/test/products")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new byte[1024 * 1024 + 1])
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.exists(ResponseTimeFilter.HEADER)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(BASE + "content-too-large")
			.jsonPath("$.instance")
			.isEqualTo("/test/products");
	}

	@Test
	void refusesAStreamedBodyOverOneMebibyte() {
		String json = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\",\"price\":1}";
		Flux<DataBuffer> body = Flux.just(json.substring(0, 1000), json.substring(1000))
			.map((part) -> DefaultDataBufferFactory.sharedInstance.wrap(part.getBytes()));
		this.client.post()
			.uri("/test/products")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body, DataBuffer.class)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void refusesAnUnsupportedContentType() {
		this.client.post()
			.uri("/test/products")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("name=Mug")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(BASE + "unsupported-media-type");
	}

	@Test
	void refusesAnUnsupportedMethod() {
		expectProblem(this.client.delete().uri("/test/products").exchange(), HttpStatus.METHOD_NOT_ALLOWED)
			.jsonPath("$.type")
			.isEqualTo(BASE + "method-not-allowed");
	}

	@Test
	void refusesAnUnacceptableResponseType() {
		expectProblem(this.client.get().uri("/test/products/1").accept(MediaType.IMAGE_PNG).exchange(),
				HttpStatus.NOT_ACCEPTABLE);
	}

	@Test
	void answersUnknownRoutesWithNotFound() {
		expectProblem(this.client.get().uri("/nope").exchange(), HttpStatus.NOT_FOUND).jsonPath("$.type")
			.isEqualTo(BASE + "not-found")
			.jsonPath("$.detail")
			.isEqualTo("No endpoint GET /nope")
			.jsonPath("$.instance")
			.isEqualTo("/nope");
		expectProblem(this.client.get().uri("/api/nope").exchange(), HttpStatus.NOT_FOUND);
	}

	@Test
	void answersALostOptimisticLockRaceWithConflict() {
		expectProblem(get("/test/optimistic"), HttpStatus.CONFLICT).jsonPath("$.type")
			.isEqualTo(BASE + "concurrent-update")
			.jsonPath("$.detail")
			.value((String detail) -> org.assertj.core.api.Assertions.assertThat(detail)
				.contains("concurrent update lost the optimistic-lock race"));
	}

	@Test
	void answersADuplicateKeyWithConflict() {
		expectProblem(get("/test/duplicate"), HttpStatus.CONFLICT).jsonPath("$.type").isEqualTo(BASE + "conflict");
	}

	@Test
	void answersAnUnreachableDatabaseWithServiceUnavailable() {
		expectProblem(get("/test/mongo-timeout"), HttpStatus.SERVICE_UNAVAILABLE).jsonPath("$.type")
			.isEqualTo(BASE + "service-unavailable")
			.jsonPath("$.detail")
			.value((String detail) -> org.assertj.core.api.Assertions.assertThat(detail).doesNotContain("10.0.0.9"));
		expectProblem(get("/test/resource-failure"), HttpStatus.SERVICE_UNAVAILABLE);
	}

	@Test
	void letsDomainExceptionsDescribeThemselves() {
		expectProblem(get("/test/domain"), HttpStatus.NOT_FOUND).jsonPath("$.type")
			.isEqualTo(BASE + "product-not-found")
			.jsonPath("$.detail")
			.isEqualTo("No product 42")
			.jsonPath("$.instance")
			.isEqualTo("/test/domain");
	}

	@Test
	void hidesUnexpectedErrorsBehindAGenericDetail() {
		expectProblem(get("/test/boom"), HttpStatus.INTERNAL_SERVER_ERROR).jsonPath("$.type")
			.isEqualTo(BASE + "internal-server-error")
			.jsonPath("$.detail")
			.isEqualTo("An unexpected error occurred; it has been logged");
		this.client.get()
			.uri("/test/boom")
			.exchange()
			.expectBody(String.class)
			.value((body) -> org.assertj.core.api.Assertions.assertThat(body)
				.doesNotContain("secret", "IllegalStateException", "at io."));
	}

	@Test
	void logsNoErrorWhenTheClientWentAway(CapturedOutput output) {
		expectProblem(get("/test/aborted"), HttpStatus.INTERNAL_SERVER_ERROR);
		org.assertj.core.api.Assertions.assertThat(output)
			.doesNotContain("Unexpected error on GET /test/aborted")
			.doesNotContain("AbortedException");
		expectProblem(get("/test/boom"), HttpStatus.INTERNAL_SERVER_ERROR);
		org.assertj.core.api.Assertions.assertThat(output).contains("ERROR", "Unexpected error on GET /test/boom");
	}

	private WebTestClient.ResponseSpec post(String json) {
		return this.client.post()
			.uri("/test/products")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.exchange();
	}

	private WebTestClient.ResponseSpec get(String uri) {
		return this.client.get().uri(uri).exchange();
	}

	private WebTestClient.BodyContentSpec expectProblem(WebTestClient.ResponseSpec response, HttpStatus status) {
		return response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.exists(ResponseTimeFilter.HEADER)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(status.value())
			.jsonPath("$.title")
			.isEqualTo(status.getReasonPhrase());
	}

	record ProductBody(@NotBlank String name, @NotNull @DecimalMin("0") BigDecimal price,
			List<@Size(min = 1, max = 5) String> tags) {
	}

	static class ProductNotFoundException extends ErrorResponseException {

		ProductNotFoundException(String id) {
			super(HttpStatus.NOT_FOUND, asProblem(id), null);
		}

		private static ProblemDetail asProblem(String id) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No product " + id);
			problem.setType(java.net.URI.create(BASE + "product-not-found"));
			return problem;
		}

	}

	@RestController
	@RequestMapping("/test")
	static class ThrowingController {

		@PostMapping("/products")
		Mono<ProductBody> create(@Valid @RequestBody ProductBody body) {
			return Mono.just(body);
		}

		@GetMapping(path = "/products/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
		ProductBody one(@PathVariable String id) {
			return new ProductBody(id, BigDecimal.ONE, List.of());
		}

		@GetMapping("/page")
		String page(@RequestParam @Min(1) @Max(100) int size) {
			return "ok";
		}

		@GetMapping("/constraint-violation")
		void constraintViolation() {
			Set<ConstraintViolation<ProductBody>> violations = Validation.buildDefaultValidatorFactory()
				.getValidator()
				.validate(new ProductBody("", BigDecimal.valueOf(-1), List.of()));
			throw new ConstraintViolationException(violations);
		}

		@GetMapping("/optimistic")
		Mono<Void> optimistic() {
			return Mono.error(new OptimisticLockingFailureException("version 3 expected"));
		}

		@GetMapping("/duplicate")
		void duplicate() {
			throw new DuplicateKeyException("E11000 duplicate key");
		}

		@GetMapping("/mongo-timeout")
		Mono<Void> mongoTimeout() {
			return Mono.error(new MongoTimeoutException("Timed out connecting to 10.0.0.9:27017"));
		}

		@GetMapping("/resource-failure")
		void resourceFailure() {
			throw new DataAccessResourceFailureException("Connection refused to 10.0.0.9");
		}

		@GetMapping("/domain")
		void domain() {
			throw new ProductNotFoundException("42");
		}

		@GetMapping("/aborted")
		Mono<Void> aborted() {
			return Mono
				.error(new reactor.netty.channel.AbortedException("Connection has been closed BEFORE send operation"));
		}

		@GetMapping("/boom")
		void boom() {
			throw new IllegalStateException("secret internals");
		}

	}

}
