package io.productstore.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.channel.DefaultEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConnectionEventLoop}, on a real Netty event loop.
 */
class ConnectionEventLoopTests {

	private final DefaultEventLoop loop = new DefaultEventLoop();

	private final DefaultEventLoop otherLoop = new DefaultEventLoop();

	@AfterEach
	void shutDown() {
		this.loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
		this.otherLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@Test
	void continuesAnAnswerCompletedOnAnotherThreadOnTheLoop() throws Exception {
		CompletableFuture<String> answer = new CompletableFuture<>();
		AtomicReference<Thread> continuedOn = new AtomicReference<>();
		CompletableFuture<String> handedBack = ConnectionEventLoop.completeOn(this.loop, answer);
		CompletableFuture<String> next = handedBack.thenApply((value) -> {
			continuedOn.set(Thread.currentThread());
			return value;
		});
		// Completed by another event loop, as a Lettuce reply or another request's batch
		// would be.
		this.otherLoop.execute(() -> answer.complete("token"));
		assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo("token");
		assertThat(this.loop.submit(() -> Thread.currentThread()).get(5, TimeUnit.SECONDS)).isSameAs(continuedOn.get());
	}

	@Test
	void handsFailuresBackToTheLoopToo() throws Exception {
		CompletableFuture<String> answer = new CompletableFuture<>();
		AtomicBoolean onLoop = new AtomicBoolean();
		CompletableFuture<String> handedBack = ConnectionEventLoop.completeOn(this.loop, answer);
		CompletableFuture<Throwable> failure = handedBack.handle((value, ex) -> {
			onLoop.set(this.loop.inEventLoop());
			return ex;
		});
		this.otherLoop.execute(() -> answer.completeExceptionally(new IllegalStateException("no Redis")));
		assertThat(failure.get(5, TimeUnit.SECONDS)).hasMessage("no Redis");
		assertThat(onLoop).isTrue();
	}

	@Test
	void costsNoHopForAnAnswerAtHandOrWithoutALoop() {
		CompletableFuture<String> done = CompletableFuture.completedFuture("near hit");
		assertThat(ConnectionEventLoop.completeOn(this.loop, done)).isSameAs(done);
		CompletableFuture<String> pending = new CompletableFuture<>();
		assertThat(ConnectionEventLoop.completeOn(null, pending)).isSameAs(pending);
	}

	@Test
	void completesInPlaceWhenTheLoopHasShutDown() throws Exception {
		CompletableFuture<String> answer = new CompletableFuture<>();
		CompletableFuture<String> handedBack = ConnectionEventLoop.completeOn(this.loop, answer);
		this.loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
		answer.complete("late");
		assertThat(handedBack.get(5, TimeUnit.SECONDS)).isEqualTo("late");
	}

	@Test
	void leavesAnswersAloneOutsideReactorNetty() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/products/abc"));
		assertThat(ConnectionEventLoop.of(exchange)).isNull();
		Mono<String> answer = Mono.just("as it is");
		assertThat(ConnectionEventLoop.continueOn(exchange, answer)).isSameAs(answer);
	}

	@Test
	void subscribesWithTheSubscribersContextAndPassesCancellationOn() {
		Sinks.One<String> reply = Sinks.one();
		Mono<String> answer = Mono
			.deferContextual((context) -> reply.asMono().map((value) -> value + " for " + context.get("requestId")));
		Mono<String> continued = ConnectionEventLoop.continueOn(this.loop, answer)
			.contextWrite((context) -> context.put("requestId", "r-1"));
		StepVerifier.create(continued)
			.then(() -> this.otherLoop.execute(() -> reply.tryEmitValue("reply")))
			.expectNext("reply for r-1")
			.verifyComplete();
		AtomicBoolean cancelled = new AtomicBoolean();
		StepVerifier
			.create(ConnectionEventLoop.continueOn(this.loop, Mono.never().doOnCancel(() -> cancelled.set(true))))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		assertThat(cancelled).isTrue();
	}

}
