package io.productstore.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Transports;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The I/O event loops of the Lettuce client that Spring Boot built: tells when every one
 * of them has come round once. A Netty event loop reads its sockets at the start of every
 * round, before it runs the tasks that were due, so once a task scheduled on each loop
 * now has run, every reply that had reached this process by now has been read and handed
 * on. That tells a Redis that answers nothing from event loops too busy to read its
 * answers.
 */
public final class LettuceEventLoops {

	private final ReactiveRedisConnectionFactory connectionFactory;

	private volatile EventLoopGroup loops;

	public LettuceEventLoops(ReactiveRedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Completes once every I/O event loop has read its sockets after this call; at once
	 * without Lettuce or with its loops shut down (nothing is left to read).
	 * @return completion
	 */
	public Mono<Void> roundTrip() {
		return Mono.defer(() -> {
			EventLoopGroup group = loops();
			if (group == null) {
				return Mono.empty();
			}
			List<Mono<Void>> rounds = new ArrayList<>();
			for (EventExecutor loop : group) {
				rounds.add(Mono.create((sink) -> {
					try {
						// Scheduled, not executed: a task executed now may run in
						// the round under way, before the loop reads its sockets
						// again; a scheduled one runs in a later round, after the read.
						loop.schedule(() -> sink.success(), 1, TimeUnit.MILLISECONDS);
					}
					catch (RejectedExecutionException ex) {
						sink.success();
					}
				}));
			}
			return Mono.when(rounds);
		});
	}

	private synchronized EventLoopGroup loops() {
		EventLoopGroup group = this.loops;
		if (group == null && this.connectionFactory instanceof LettuceConnectionFactory lettuce) {
			ClientResources resources = lettuce.getClientResources();
			if (resources != null) {
				// The group the client's connections use: the provider shares one per
				// type.
				group = resources.eventLoopGroupProvider().allocate(Transports.eventLoopGroupClass());
				this.loops = group;
			}
		}
		return group;
	}

}
