package io.productstore.web;

import java.util.stream.Stream;

import io.productstore.web.PathFirstRequestMappings.PathFirstRequestMappingHandlerMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.support.StaticApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PathFirstRequestMappings}: for every request, the path-first mappings
 * pick what Spring's own pick, a handler or an error (405, 406, 415, none).
 */
class PathFirstRequestMappingsTests {

	private static final RequestMappingHandlerMapping spring = mappingOf(new RequestMappingHandlerMapping());

	private static final RequestMappingHandlerMapping pathFirst = mappingOf(
			new PathFirstRequestMappingHandlerMapping());

	@Test
	void isTheRequestMappingOfTheApplication() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebFluxAutoConfiguration.class))
			.withUserConfiguration(PathFirstRequestMappings.class)
			.run((context) -> assertThat(context.getBean("requestMappingHandlerMapping"))
				.isInstanceOf(PathFirstRequestMappingHandlerMapping.class));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("requests")
	void picksWhatSpringPicks(String name, MockServerHttpRequest request, String expected) {
		assertThat(outcome(spring, request)).as("Spring's mapping").isEqualTo(expected);
		assertThat(outcome(pathFirst, request)).as("the path-first mapping").isEqualTo(expected);
	}

	static Stream<Object[]> requests() {
		return Stream.of(request("a path variable", MockServerHttpRequest.get("/things/abc").build(), "one"),
				request("a literal segment before a variable", MockServerHttpRequest.get("/things/count").build(),
						"count"),
				request("HEAD on a GET mapping", MockServerHttpRequest.head("/things/abc").build(), "one"),
				request("what the mapping produces",
						MockServerHttpRequest.get("/things/export").accept(MediaType.APPLICATION_NDJSON).build(),
						"export"),
				request("what it does not produce, with a variable mapping to fall back on",
						MockServerHttpRequest.get("/things/export").accept(MediaType.IMAGE_PNG).build(), "one"),
				request("what it does not produce",
						MockServerHttpRequest.get("/things/reports/2026").accept(MediaType.IMAGE_PNG).build(),
						"NotAcceptableStatusException"),
				request("a method no mapping of the path takes",
						MockServerHttpRequest.method(HttpMethod.PATCH, "/things/abc").build(),
						"MethodNotAllowedException"),
				request("another method on the same path", MockServerHttpRequest.delete("/things/abc").build(),
						"delete"),
				request("what the mapping consumes",
						MockServerHttpRequest.post("/things").contentType(MediaType.APPLICATION_JSON).build(),
						"create"),
				request("what it does not consume",
						MockServerHttpRequest.post("/things").contentType(MediaType.TEXT_PLAIN).build(),
						"UnsupportedMediaTypeStatusException"),
				request("a parameter condition", MockServerHttpRequest.get("/things?view=short").build(), "shortList"),
				request("without the parameter", MockServerHttpRequest.get("/things").build(), "list"),
				request("a header condition",
						MockServerHttpRequest.put("/things/abc").header("X-Replace", "all").build(), "replaceAll"),
				request("a CORS preflight",
						MockServerHttpRequest.options("/things/abc")
							.header(HttpHeaders.ORIGIN, "https://shop.example")
							.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "DELETE")
							.build(),
						"a CORS preflight handler"),
				request("a path no mapping has", MockServerHttpRequest.get("/nothing/here").build(), "none"),
				request("a deeper path than any mapping's", MockServerHttpRequest.get("/things/abc/def").build(),
						"none"));
	}

	private static Object[] request(String name, MockServerHttpRequest request, String expected) {
		return new Object[] { name, request, expected };
	}

	private static String outcome(RequestMappingHandlerMapping mapping, MockServerHttpRequest request) {
		try {
			Object handler = mapping.getHandler(MockServerWebExchange.from(request)).block();
			if (handler == null) {
				return "none";
			}
			// Spring answers a preflight with a handler of its own.
			return (handler instanceof HandlerMethod method) ? method.getMethod().getName()
					: "a CORS preflight handler";
		}
		catch (RuntimeException ex) {
			return ex.getClass().getSimpleName();
		}
	}

	private static RequestMappingHandlerMapping mappingOf(RequestMappingHandlerMapping mapping) {
		StaticApplicationContext context = new StaticApplicationContext();
		context.registerSingleton("things", Things.class);
		context.refresh();
		mapping.setApplicationContext(context);
		mapping.afterPropertiesSet();
		return mapping;
	}

	@RestController
	@RequestMapping("/things")
	static class Things {

		@GetMapping
		String list() {
			return "list";
		}

		@GetMapping(params = "view=short")
		String shortList() {
			return "short";
		}

		@GetMapping("/{id}")
		String one(@PathVariable String id) {
			return id;
		}

		@GetMapping("/count")
		String count() {
			return "0";
		}

		@GetMapping(path = "/export", produces = MediaType.APPLICATION_NDJSON_VALUE)
		String export() {
			return "";
		}

		@GetMapping(path = "/reports/{year}", produces = MediaType.APPLICATION_NDJSON_VALUE)
		String report(@PathVariable String year) {
			return year;
		}

		@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
		String create() {
			return "created";
		}

		@PutMapping("/{id}")
		String replace(@PathVariable String id) {
			return id;
		}

		@PutMapping(path = "/{id}", headers = "X-Replace=all")
		String replaceAll(@PathVariable String id) {
			return id;
		}

		@DeleteMapping("/{id}")
		String delete(@PathVariable String id) {
			return id;
		}

	}

}
