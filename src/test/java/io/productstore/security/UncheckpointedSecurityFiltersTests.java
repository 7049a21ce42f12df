package io.productstore.security;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UncheckpointedSecurityFilters}.
 */
class UncheckpointedSecurityFiltersTests {

	private final List<String> ran = new ArrayList<>();

	private final ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/products"));

	private final WebFilterChain rest = (exchange) -> Mono.fromRunnable(() -> this.ran.add("rest"));

	@Test
	void runsTheFiltersInTheirOrderAndThenTheRestOfTheChain() {
		WebFilterChain chain = new UncheckpointedSecurityFilters().decorate(this.rest,
				List.of(named("first"), named("second"), named("third")));

		StepVerifier.create(chain.filter(this.exchange)).verifyComplete();

		assertThat(this.ran).containsExactly("first", "second", "third", "rest");
	}

	@Test
	void letsAFilterAnswerWithoutTheRest() {
		WebFilter answers = (exchange, chain) -> Mono.fromRunnable(() -> this.ran.add("answered"));
		WebFilterChain chain = new UncheckpointedSecurityFilters().decorate(this.rest,
				List.of(named("first"), answers, named("never")));

		StepVerifier.create(chain.filter(this.exchange)).verifyComplete();

		assertThat(this.ran).containsExactly("first", "answered");
	}

	@Test
	void runsNothingBeforeTheRequestSubscribes() {
		Mono<Void> filtered = new UncheckpointedSecurityFilters().decorate(this.rest, List.of(named("first")))
			.filter(this.exchange);

		assertThat(this.ran).isEmpty();
		StepVerifier.create(filtered).verifyComplete();
		assertThat(this.ran).containsExactly("first", "rest");
	}

	@Test
	void turnsWhatAFilterThrowsIntoAnErrorSignal() {
		WebFilter throwing = (exchange, chain) -> {
			throw new IllegalStateException("broken filter");
		};
		WebFilterChain chain = new UncheckpointedSecurityFilters().decorate(this.rest, List.of(throwing));

		StepVerifier.create(chain.filter(this.exchange)).verifyErrorMessage("broken filter");
		assertThat(this.ran).isEmpty();
	}

	@Test
	void runsAChainWithoutFiltersStraightThrough() {
		UncheckpointedSecurityFilters decorator = new UncheckpointedSecurityFilters();

		assertThat(decorator.decorate(this.rest)).isSameAs(this.rest);
		StepVerifier.create(decorator.decorate(this.rest, List.of()).filter(this.exchange)).verifyComplete();
		assertThat(this.ran).containsExactly("rest");
	}

	private WebFilter named(String name) {
		return (exchange, chain) -> {
			this.ran.add(name);
			return chain.filter(exchange);
		};
	}

}
