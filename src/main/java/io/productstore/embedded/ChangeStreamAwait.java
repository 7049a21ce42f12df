package io.productstore.embedded;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Makes a {@code getMore} on a change stream wait for the next write, as a replica set
 * does for up to {@code maxTimeMS} (1 s when the client sends none). mongo-java-server
 * answers it at once with an empty batch, and the driver asks again at once: about 2,000
 * round trips a second per idle stream, each a pass over the oplog.
 * <p>
 * It sits in each connection's pipeline before mongo-java-server's handler and holds the
 * request without blocking the event loop: the request is passed on when a write is
 * recorded or the wait is over, on the connection's own event loop. A client sends its
 * next request on a connection only after the reply, so nothing is reordered.
 */
final class ChangeStreamAwait extends ChannelInboundHandlerAdapter {

	private static final long DEFAULT_AWAIT_MILLIS = 1000;

	private final ChangeStreamOplog oplog;

	private final LongFunction<ChangeStreamCursor> cursors;

	/**
	 * A handler for one connection.
	 * @param oplog the writes the cursors report
	 * @param cursors the change stream cursor of an id, or null if the id is another kind
	 * of cursor or none
	 */
	ChangeStreamAwait(ChangeStreamOplog oplog, LongFunction<ChangeStreamCursor> cursors) {
		this.oplog = oplog;
		this.cursors = cursors;
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		Document command = (message instanceof MongoMessage request) ? request.getDocument() : null;
		ChangeStreamCursor cursor = (command != null && command.get("getMore") instanceof Number id)
				? this.cursors.apply(id.longValue()) : null;
		if (cursor == null || cursor.hasMore()) {
			context.fireChannelRead(message);
			return;
		}
		Object maxTime = command.get("maxTimeMS");
		long millis = (maxTime instanceof Number number) ? number.longValue() : DEFAULT_AWAIT_MILLIS;
		Held held = new Held(context, message);
		held.timeout = context.executor().schedule(held::release, millis, TimeUnit.MILLISECONDS);
		this.oplog.onNextAppend(held);
		// A write recorded between the check above and the registration woke nobody.
		if (cursor.hasMore()) {
			held.release();
		}
	}

	/**
	 * A held {@code getMore}, passed on exactly once: on the next write or its timeout.
	 */
	private final class Held implements Runnable {

		private final ChannelHandlerContext context;

		private final Object message;

		private final AtomicBoolean released = new AtomicBoolean();

		private volatile ScheduledFuture<?> timeout;

		Held(ChannelHandlerContext context, Object message) {
			this.context = context;
			this.message = message;
		}

		@Override
		public void run() {
			release();
		}

		void release() {
			if (!this.released.compareAndSet(false, true)) {
				return;
			}
			ScheduledFuture<?> pending = this.timeout;
			if (pending != null) {
				pending.cancel(false);
			}
			ChangeStreamAwait.this.oplog.removeListener(this);
			this.context.executor().execute(() -> this.context.fireChannelRead(this.message));
		}

	}

}
