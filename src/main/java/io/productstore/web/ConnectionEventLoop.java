package io.productstore.web;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.netty.channel.EventLoop;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * Hands an asynchronous answer back to the event loop of the request's connection.
 * <p>
 * Whatever a request chains onto an answer runs on the thread that completes it:
 * Lettuce's I/O thread for a Redis reply (one thread per connection), or, for Bucket4j's
 * batched buckets, the thread of whichever request finished the previous batch, which
 * then completes every request queued behind it. The rest of each request (security,
 * headers, metrics, writing the response) then runs there too: under load one such thread
 * did most of the service's request work, serially, while the server's event loops waited
 * and Redis commands sat unwritten in the Lettuce loop's queue (docs/benchmarks.md, "Hot
 * path"). Back on its connection's loop, request work stays spread over the server's
 * loops, and the response is written without another hop: a write from any other thread
 * is queued to that loop anyway.
 */
public final class ConnectionEventLoop {

	private ConnectionEventLoop() {
	}

	/**
	 * The event loop of the request's connection.
	 * @param exchange the exchange
	 * @return its loop, or {@code null} when the server is not Reactor Netty or the
	 * request is a mock
	 */
	public static Executor of(ServerWebExchange exchange) {
		Object request;
		try {
			request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		}
		catch (IllegalStateException ex) {
			// A mock request (WebTestClient bound to the application) has none.
			return null;
		}
		return (request instanceof Connection connection) ? connection.channel().eventLoop() : null;
	}

	/**
	 * The answer, continued on the request's event loop when it completes on another
	 * thread.
	 * @param <T> the type of the answer
	 * @param exchange the request
	 * @param answer the answer, subscribed to with the subscriber's context
	 * @return the same signals, on the request's event loop when they come from elsewhere
	 */
	public static <T> Mono<T> continueOn(ServerWebExchange exchange, Mono<T> answer) {
		return continueOn(of(exchange), answer);
	}

	static <T> Mono<T> continueOn(Executor loop, Mono<T> answer) {
		if (loop == null) {
			return answer;
		}
		return Mono.deferContextual((context) -> {
			// Subscribed with the request's context: its request id, its security
			// context.
			CompletableFuture<T> future = answer.contextWrite(context).toFuture();
			CompletableFuture<T> handedBack = completeOn(loop, future);
			if (handedBack != future) {
				// A cancelled request (the client went away) cancels the answer too.
				handedBack.whenComplete((value, failure) -> {
					if (failure instanceof CancellationException) {
						future.cancel(false);
					}
				});
			}
			return Mono.fromFuture(handedBack);
		});
	}

	/**
	 * The answer, completed on the given event loop when it completes on another thread;
	 * the answer itself when it is complete already (a value at hand, as from a
	 * near-cache hit, costs no hop).
	 * @param <T> the type of the answer
	 * @param loop where to complete it, {@code null} for wherever it completes
	 * @param answer what a call returned
	 * @return a future that completes like the answer
	 */
	public static <T> CompletableFuture<T> completeOn(Executor loop, CompletableFuture<T> answer) {
		if (loop == null || answer.isDone()) {
			return answer;
		}
		CompletableFuture<T> handedBack = new CompletableFuture<>();
		answer.whenComplete((value, failure) -> {
			if (loop instanceof EventLoop eventLoop && eventLoop.inEventLoop()) {
				complete(handedBack, value, failure);
				return;
			}
			try {
				loop.execute(() -> complete(handedBack, value, failure));
			}
			catch (RejectedExecutionException ex) {
				// The loop is shutting down: nobody is left to hand it to.
				complete(handedBack, value, failure);
			}
		});
		return handedBack;
	}

	private static <T> void complete(CompletableFuture<T> future, T value, Throwable failure) {
		if (failure != null) {
			future.completeExceptionally(failure);
		}
		else {
			future.complete(value);
		}
	}

}
