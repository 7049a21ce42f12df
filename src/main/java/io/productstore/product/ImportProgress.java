package io.productstore.product;

import java.time.Duration;

import io.productstore.logging.RequestLogging;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.SignalType;
import reactor.util.context.ContextView;

/**
 * Counts what a bulk import did and logs it: a line each time another
 * {@code app.bulk-import.progress-every} lines were answered, and a summary at the end,
 * with the request's id.
 */
final class ImportProgress {

	private static final Log logger = LogFactory.getLog(ImportProgress.class);

	private final int every;

	private final ContextView context;

	private final long startedNanos = System.nanoTime();

	private int answered;

	private int stored;

	private int rejected;

	ImportProgress(int every, ContextView context) {
		this.every = every;
		this.context = context;
	}

	void answered(ImportResult result) {
		this.answered++;
		if (result.status() == 201) {
			this.stored++;
		}
		else {
			this.rejected++;
		}
		if (this.answered % this.every == 0) {
			RequestLogging.log(this.context, () -> logger.info("Bulk import: " + summary()));
		}
	}

	void ended(SignalType signal) {
		String how = switch (signal) {
			case ON_COMPLETE -> "done";
			case CANCEL -> "cancelled by the client (batches already sent to MongoDB are stored)";
			default -> "failed";
		};
		RequestLogging.log(this.context, () -> logger.info("Bulk import " + how + ": " + summary()));
	}

	private String summary() {
		Duration elapsed = Duration.ofNanos(System.nanoTime() - this.startedNanos);
		return this.answered + " lines answered, " + this.stored + " stored, " + this.rejected + " not stored, in "
				+ elapsed.toMillis() + " ms";
	}

}
