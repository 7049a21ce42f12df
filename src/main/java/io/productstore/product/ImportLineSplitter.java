package io.productstore.product;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Cuts an NDJSON body into lines as its buffers arrive, holding at most one line (up to
 * one create's body size) and the buffer being cut: never the whole body. Enforces the
 * import's limits on the way: a longer line is skipped and reported, and a line past the
 * line limit or a byte past the size limit ends the import, reported as a last line.
 */
final class ImportLineSplitter {

	private final int maxLineBytes;

	private final long maxBytes;

	private final int maxLines;

	private final ByteArrayOutputStream current = new ByteArrayOutputStream();

	private boolean currentTooLong;

	private int lineNumber;

	private int productLines;

	private long bytesRead;

	private boolean ended;

	private ImportLineSplitter(int maxLineBytes, long maxBytes, int maxLines) {
		this.maxLineBytes = maxLineBytes;
		this.maxBytes = maxBytes;
		this.maxLines = maxLines;
	}

	/**
	 * The lines of a body; blank lines are counted but not handed on.
	 * @param body the body's buffers, each released here
	 * @param maxLineBytes the longest line read
	 * @param maxBytes the most bytes read
	 * @param maxLines the most non-blank lines read
	 * @return the lines, ending with a refused line if a limit of the import was reached
	 */
	static Flux<ImportLine> split(Flux<DataBuffer> body, int maxLineBytes, long maxBytes, int maxLines) {
		return Flux.defer(() -> {
			ImportLineSplitter splitter = new ImportLineSplitter(maxLineBytes, maxBytes, maxLines);
			// A small prefetch: buffers waiting here are body held in memory.
			return body.concatMapIterable(splitter::accept, 2)
				.concatWith(Flux.defer(() -> Flux.fromIterable(splitter.finish())))
				.takeUntil((line) -> line.refusal() != null && line.refusal().endsImport());
		}).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
	}

	private List<ImportLine> accept(DataBuffer buffer) {
		try {
			List<ImportLine> lines = new ArrayList<>();
			if (this.ended) {
				return lines;
			}
			int readable = buffer.readableByteCount();
			long allowed = Math.min(readable, this.maxBytes - this.bytesRead);
			byte[] chunk = new byte[(int) allowed];
			buffer.read(chunk);
			this.bytesRead += allowed;
			int start = 0;
			for (int i = 0; i < chunk.length && !this.ended; i++) {
				if (chunk[i] == '\n') {
					append(chunk, start, i);
					complete(lines);
					start = i + 1;
				}
			}
			if (!this.ended) {
				append(chunk, start, chunk.length);
				if (allowed < readable) {
					end(lines, ImportLine.Refusal.BODY_TOO_LARGE);
				}
			}
			return lines;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	/** The last line, when the body does not end with a line break. */
	private List<ImportLine> finish() {
		List<ImportLine> lines = new ArrayList<>();
		if (!this.ended && (this.current.size() > 0 || this.currentTooLong)) {
			complete(lines);
		}
		return lines;
	}

	private void append(byte[] chunk, int from, int to) {
		if (this.currentTooLong || from == to) {
			return;
		}
		if (this.current.size() + (to - from) > this.maxLineBytes) {
			this.currentTooLong = true;
			this.current.reset();
			return;
		}
		this.current.write(chunk, from, to - from);
	}

	private void complete(List<ImportLine> lines) {
		this.lineNumber++;
		byte[] bytes = withoutCarriageReturn(this.current.toByteArray());
		boolean tooLong = this.currentTooLong;
		this.current.reset();
		this.currentTooLong = false;
		if (!tooLong && isBlank(bytes)) {
			return;
		}
		if (this.productLines == this.maxLines) {
			this.ended = true;
			lines.add(ImportLine.refused(this.lineNumber, ImportLine.Refusal.TOO_MANY_LINES));
			return;
		}
		this.productLines++;
		lines.add(tooLong ? ImportLine.refused(this.lineNumber, ImportLine.Refusal.LINE_TOO_LONG)
				: ImportLine.of(this.lineNumber, bytes));
	}

	private void end(List<ImportLine> lines, ImportLine.Refusal refusal) {
		this.ended = true;
		lines.add(ImportLine.refused(this.lineNumber + 1, refusal));
	}

	private static byte[] withoutCarriageReturn(byte[] line) {
		return (line.length > 0 && line[line.length - 1] == '\r') ? Arrays.copyOf(line, line.length - 1) : line;
	}

	private static boolean isBlank(byte[] line) {
		for (byte b : line) {
			if (b != ' ' && b != '\t' && b != '\r') {
				return false;
			}
		}
		return true;
	}

}
