package io.productstore.product;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.productstore.cache.CacheRegion;
import io.productstore.logging.RequestLogging;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * {@code POST /api/products/bulk}: the NDJSON body is read line by line as it arrives,
 * each line read like a single create, the valid ones stored a batch at a time with one
 * {@code insertMany} followed by one cache invalidation, and one result per line streamed
 * back in input order. Memory holds one batch, never the body.
 */
@Component
class BulkImport {

	private static final Log logger = LogFactory.getLog(BulkImport.class);

	// A batch also closes at this many bytes of lines, so that a batch of long lines
	// (descriptions of 10,000 characters) stays small in memory too.
	private static final long BATCH_BYTES = DataSize.ofMegabytes(4).toBytes();

	private final ReactiveMongoTemplate mongo;

	private final CacheRegion cache;

	private final CommittedWrites writes;

	private final ImportLineReader reader;

	private final BulkImportProperties properties;

	private final int maxLineBytes;

	BulkImport(ReactiveMongoTemplate mongo, CacheRegion productCache, ImportLineReader reader,
			BulkImportProperties properties, @Value("${spring.codec.max-in-memory-size:1MB}") DataSize maxCreateBody) {
		this.mongo = mongo;
		this.cache = productCache;
		this.writes = new CommittedWrites(productCache);
		this.reader = reader;
		this.properties = properties;
		this.maxLineBytes = (int) maxCreateBody.toBytes();
	}

	Flux<ImportResult> run(Flux<DataBuffer> body) {
		return Flux.deferContextual((context) -> {
			ImportProgress progress = new ImportProgress(this.properties.progressEvery(), context);
			return ImportLineSplitter
				.split(body, this.maxLineBytes, this.properties.maxSize().toBytes(), this.properties.maxLines())
				.map(this.reader::read)
				.transform(this::batches)
				// One batch at a time: the next is read only once this one is answered.
				.concatMap(this::store, 0)
				.takeUntil(Batch::last)
				.concatMapIterable(Batch::results)
				.doOnNext(progress::answered)
				.doFinally(progress::ended);
		});
	}

	private Flux<List<ImportLineReader.ParsedLine>> batches(Flux<ImportLineReader.ParsedLine> lines) {
		return Flux.defer(() -> {
			long[] bytes = { 0 };
			int[] count = { 0 };
			return lines.bufferUntil((line) -> {
				bytes[0] += line.size();
				count[0]++;
				boolean full = line.last() || count[0] >= this.properties.batchSize() || bytes[0] >= BATCH_BYTES;
				if (full) {
					bytes[0] = 0;
					count[0] = 0;
				}
				return full;
			});
		});
	}

	private Mono<Batch> store(List<ImportLineReader.ParsedLine> lines) {
		boolean last = lines.get(lines.size() - 1).last();
		List<Product> products = lines.stream()
			.map(ImportLineReader.ParsedLine::product)
			.filter(Objects::nonNull)
			.toList();
		if (products.isEmpty()) {
			return Mono.just(new Batch(answers(lines, null), last));
		}
		// One generation bump per batch. CacheRegion has no "queries changed" call of its
		// own; invalidate(id) bumps the generation (on every instance, journaled while
		// Redis is down) and evicts one item, here a fresh id nobody can have read.
		String first = products.get(0).id();
		return this.writes
			.run(first, this.mongo.insertAll(products).then(Mono.just(products.size())),
					(stored) -> this.cache.invalidate(first).thenReturn(stored))
			.map((stored) -> new Batch(answers(lines, null), last))
			.onErrorResume((ex) -> Mono.deferContextual((context) -> {
				RequestLogging.log(context, () -> logger.warn("Bulk import: a batch of " + products.size()
						+ " products failed in MongoDB (" + ex + "); the import stops"));
				List<ImportResult> results = answers(lines, ex);
				int next = lines.get(lines.size() - 1).number() + 1;
				results.add(ImportResult.refused(next, 503,
						"The import stopped after a batch MongoDB could not store; lines from here on were not read"));
				return Mono.just(new Batch(results, true));
			}));
	}

	private static List<ImportResult> answers(List<ImportLineReader.ParsedLine> lines, Throwable failure) {
		List<ImportResult> results = new ArrayList<>(lines.size() + 1);
		for (ImportLineReader.ParsedLine line : lines) {
			if (line.product() == null) {
				results.add(line.rejection());
			}
			else if (failure == null) {
				results.add(ImportResult.created(line.number(), line.product().id()));
			}
			else {
				results.add(ImportResult.notStored(line.number(), line.product().id(),
						"MongoDB failed while storing this line's batch; it may or may not be stored under this id"));
			}
		}
		return results;
	}

	/**
	 * The results of one batch, in line order.
	 *
	 * @param results one per line
	 * @param last whether the import ends after it
	 */
	private record Batch(List<ImportResult> results, boolean last) {
	}

}
