package io.productstore.product;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Loads a deterministic sample catalogue on first start (only while the collection is
 * empty, so restarts and real data are left alone).
 */
@Component
@ConditionalOnBooleanProperty("app.seed.enabled")
class SampleCatalogue {

	private static final Logger logger = LoggerFactory.getLogger(SampleCatalogue.class);

	private static final List<String> CATEGORIES = List.of("kitchen", "books", "garden", "toys", "electronics",
			"sports", "clothing", "beauty");

	private static final List<String> ADJECTIVES = List.of("Classic", "Compact", "Deluxe", "Eco", "Essential",
			"Lightweight", "Premium", "Rugged", "Smart", "Vintage");

	private static final List<String> NOUNS = List.of("Kettle", "Notebook", "Planter", "Puzzle", "Headphones",
			"Yoga Mat", "Jacket", "Serum", "Lamp", "Backpack", "Water Bottle", "Board Game");

	private static final List<String> TAGS = List.of("new", "sale", "bestseller", "gift", "eco", "limited");

	private final ProductRepository repository;

	private final SeedProperties properties;

	private final ProductIndexes indexes;

	SampleCatalogue(ProductRepository repository, ProductIndexes indexes, SeedProperties properties) {
		this.repository = repository;
		this.indexes = indexes;
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void loadOnFirstStart() {
		this.indexes.created()
			.then(this.repository.count())
			.filter((count) -> count == 0)
			.flatMap((empty) -> this.repository.saveAll(Flux.fromIterable(sample())).count())
			.switchIfEmpty(Mono.just(0L))
			.subscribe((count) -> logger.info("Sample catalogue: {} products loaded", count),
					(ex) -> logger.warn("Sample catalogue not loaded", ex));
	}

	List<Product> sample() {
		Random random = new Random(42);
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		return IntStream.range(0, this.properties.products()).mapToObj((i) -> {
			String category = CATEGORIES.get(i % CATEGORIES.size());
			String name = ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + " "
					+ NOUNS.get(random.nextInt(NOUNS.size())) + " " + (i + 1);
			BigDecimal price = BigDecimal.valueOf(199 + random.nextInt(49_800), 2)
				.setScale(2, RoundingMode.UNNECESSARY);
			List<String> tags = List.of(TAGS.get(random.nextInt(TAGS.size())), TAGS.get(random.nextInt(TAGS.size())))
				.stream()
				.distinct()
				.toList();
			Instant created = start.plus(i, ChronoUnit.HOURS);
			return new Product(null, name, "A " + name.toLowerCase() + " from our " + category + " range.", category,
					price, "USD", random.nextInt(200), tags,
					List.of("https://picsum.photos/seed/product-" + (i + 1) + "/640/480"), random.nextInt(10) > 0,
					false, null, created, created);
		}).toList();
	}

}
