package io.productstore.logging;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.MDC;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.util.context.ContextView;

import org.springframework.web.server.ServerWebExchange;

/**
 * Puts a request's id into the logging MDC ({@code requestId}, the
 * {@code logging.pattern.correlation} of {@code application.yml} and the ECS field) for
 * the duration of one log statement, on whichever thread writes it: a Reactor Netty event
 * loop, a Lettuce or MongoDB driver thread, a scheduler.
 * <p>
 * The id travels in the Reactor context under {@link #KEY} and as an exchange attribute
 * of the same name (both set by {@code web/RequestIdFilter}). Reading it at the few
 * statements that log costs nothing on the requests that do not log, where restoring
 * thread locals around every operator ({@code spring.reactor.context-propagation=auto})
 * cost a fifth of a cached read's CPU (docs/benchmarks.md, "Hot path").
 */
public final class RequestLogging {

	/**
	 * The MDC key, Reactor context key and exchange attribute of the request id.
	 */
	public static final String KEY = "requestId";

	private RequestLogging() {
	}

	/**
	 * Run a log statement with the request id of a Reactor context in the MDC.
	 * @param context the context of the subscriber, such as a {@code Signal}'s or the one
	 * of {@link Mono#deferContextual}
	 * @param statement the statement that logs
	 */
	public static void log(ContextView context, Runnable statement) {
		withId(context.getOrDefault(KEY, null), statement);
	}

	/**
	 * Run a log statement with the request id of an exchange in the MDC.
	 * @param exchange the exchange
	 * @param statement the statement that logs
	 */
	public static void log(ServerWebExchange exchange, Runnable statement) {
		withId(exchange.getAttribute(KEY), statement);
	}

	/**
	 * Log, then go on with another publisher: for {@code onErrorResume} and
	 * {@code switchIfEmpty} branches that log, which have no context of their own.
	 * @param <T> the type of the values
	 * @param statement the statement that logs
	 * @param next the publisher to go on with
	 * @return a publisher that logs with the subscriber's request id, then is
	 * {@code next}
	 */
	public static <T> Mono<T> logThen(Runnable statement, Supplier<? extends Mono<T>> next) {
		return Mono.deferContextual((context) -> {
			log(context, statement);
			return next.get();
		});
	}

	/**
	 * A {@code doOnEach} callback that logs each value with the subscriber's request id:
	 * {@code .doOnEach(RequestLogging.onNext((count) -> logger.info(...)))} where a
	 * {@code doOnNext} would log without it.
	 * @param <T> the type of the values
	 * @param statement the statement that logs a value
	 * @return the callback
	 */
	public static <T> Consumer<Signal<T>> onNext(Consumer<? super T> statement) {
		return (signal) -> {
			if (signal.isOnNext()) {
				log(signal.getContextView(), () -> statement.accept(signal.get()));
			}
		};
	}

	private static void withId(String id, Runnable statement) {
		if (id == null) {
			statement.run();
			return;
		}
		String previous = MDC.get(KEY);
		MDC.put(KEY, id);
		try {
			statement.run();
		}
		finally {
			// The thread is shared by many requests: leave its MDC as it was found.
			if (previous != null) {
				MDC.put(KEY, previous);
			}
			else {
				MDC.remove(KEY);
			}
		}
	}

}
