package io.productstore.product;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.UnaryOperator;

import io.productstore.cache.CacheRegion;
import io.productstore.cache.CachedRead;
import io.productstore.cache.QueryKind;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * The product use cases: reads of one product, of filtered pages, counts and facets
 * through the Redis-first cache, and the writes, each guarded by the product's version
 * and followed by the cache invalidation it calls for.
 */
@Service
class ProductService {

	private final ProductRepository repository;

	private final ProductPages pages;

	private final ProductFacetSearch facetSearch;

	private final CacheRegion cache;

	private final CommittedWrites writes;

	private final ProductMergePatch mergePatch;

	private final Clock clock;

	ProductService(ProductRepository repository, ProductPages pages, ProductFacetSearch facetSearch,
			CacheRegion productCache, ProductMergePatch mergePatch) {
		this.repository = repository;
		this.pages = pages;
		this.facetSearch = facetSearch;
		this.cache = productCache;
		this.writes = new CommittedWrites(productCache);
		this.mergePatch = mergePatch;
		this.clock = Clock.systemUTC();
	}

	/**
	 * One product, from memory, Redis or MongoDB; the read's value is null when no
	 * product has the id.
	 */
	Mono<CachedRead<ProductResponse>> find(String id, boolean bypassCache) {
		return this.cache.item(id, ProductResponse.class, () -> fromMongoDb(id), bypassCache);
	}

	/**
	 * One product as this instance's near cache holds it, or {@code null}: what
	 * {@link #find} would answer from memory.
	 */
	@Nullable CachedRead<ProductResponse> held(String id) {
		return this.cache.heldItem(id, ProductResponse.class, () -> fromMongoDb(id));
	}

	private Mono<ProductResponse> fromMongoDb(String id) {
		return this.repository.findById(id).map(ProductResponse::from);
	}

	/** A page by offset. */
	Mono<CachedRead<ProductPage>> list(ProductQuery query, boolean bypassCache) {
		return this.cache.query(QueryKind.LIST, this.pages.offsetKey(query), ProductPage.class,
				() -> this.pages.byOffset(query), bypassCache);
	}

	/**
	 * A page by offset or, for a request with a cursor, the page after the cursor's
	 * position: cached like pages by offset, under the same generation, so the same
	 * writes invalidate both.
	 */
	Mono<CachedRead<ProductPage>> list(Continuation request, boolean bypassCache) {
		PageCursor after = request.after();
		if (after == null) {
			return list(request.query(), bypassCache);
		}
		ProductQuery query = request.query();
		return this.cache.query(QueryKind.LIST, this.pages.afterKey(query, after), ProductPage.class,
				() -> this.pages.after(query, after), bypassCache);
	}

	/**
	 * Facets are cached as counts: of the same kind (a number of products per filter),
	 * with the counts' TTL, made unreachable by the same writes. The prefix keeps their
	 * key apart from the count of the same filter.
	 */
	Mono<CachedRead<ProductFacets>> facets(ProductFilter filter, boolean bypassCache) {
		return this.cache.query(QueryKind.COUNT, "facets|" + filter.canonical(), ProductFacets.class,
				() -> this.facetSearch.facets(filter), bypassCache);
	}

	Mono<CachedRead<ProductCount>> count(ProductFilter filter, boolean bypassCache) {
		return this.cache.query(QueryKind.COUNT, filter.canonical(), ProductCount.class,
				() -> this.repository.count(filter).map(ProductCount::new), bypassCache);
	}

	Mono<ProductResponse> create(ProductRequest request) {
		// The driver generates the id: after an unknown outcome there is nothing to
		// evict,
		// since nobody can have read (and cached as missing) an id nobody knew.
		return this.writes.run(null, this.repository.save(Product.create(request, now())), this::cached);
	}

	/**
	 * Creates a product with an id chosen beforehand, as every attempt of one idempotent
	 * request does: if the id exists, an earlier attempt whose outcome its caller never
	 * learnt created it, and that product is the answer (null version aside, a save with
	 * an id inserts, so it can never overwrite one).
	 */
	Mono<ProductResponse> create(ProductRequest request, String id) {
		Product product = Product.create(request, now()).withId(id);
		return this.writes.run(id, this.repository.save(product), this::cached)
			.onErrorResume(DuplicateKeyException.class, (ex) -> this.repository.findById(id)
				.map(ProductResponse::from)
				// Created by the earlier attempt and deleted since: nothing to answer
				// with.
				.switchIfEmpty(Mono.error(() -> new ProductNotFoundException(id))));
	}

	Mono<ProductResponse> replace(String id, ProductRequest request, List<String> ifMatch) {
		return update(id, ifMatch, (current) -> current.replacedBy(request, now()));
	}

	Mono<ProductResponse> patch(String id, JsonNode patch, List<String> ifMatch) {
		return update(id, ifMatch,
				(current) -> current.replacedBy(this.mergePatch.apply(ProductResponse.from(current), patch), now()));
	}

	/**
	 * One atomic update, not a read and a conditional save: a caller that toggles the
	 * flag asks for no version, so it never gets a 409 for a race with another toggle.
	 */
	Mono<ProductResponse> setWishlisted(String id, boolean wishlisted) {
		return this.writes.run(id, this.repository.setWishlisted(id, wishlisted, now()), this::cached)
			.switchIfEmpty(Mono.error(() -> new ProductNotFoundException(id)));
	}

	Mono<Void> delete(String id, List<String> ifMatch) {
		return current(id, ifMatch)
			.flatMap((product) -> this.writes.run(id, this.repository.delete(product).thenReturn(product),
					(deleted) -> this.cache.deleted(deleted.id(), version(deleted)).thenReturn(deleted)))
			.then();
	}

	/**
	 * Loads the stored product, checks {@code If-Match}, applies the change and saves it;
	 * the save itself is conditional on the version read, so a concurrent writer that got
	 * in between makes it fail with an optimistic-locking error rather than be lost.
	 */
	private Mono<ProductResponse> update(String id, List<String> ifMatch, UnaryOperator<Product> change) {
		return current(id, ifMatch).map(change)
			.flatMap((changed) -> this.writes.run(id, this.repository.save(changed), this::cached));
	}

	/**
	 * Puts the product as written into Redis (refused if a newer version is already
	 * there), makes every cached list and count unreachable, and drops the near copies of
	 * this instance and, through pub/sub, of every other.
	 */
	private Mono<ProductResponse> cached(Product saved) {
		ProductResponse response = ProductResponse.from(saved);
		return this.cache.written(response.id(), response, response.version()).thenReturn(response);
	}

	private static long version(Product product) {
		return (product.version() != null) ? product.version() : 0;
	}

	private Mono<Product> current(String id, List<String> ifMatch) {
		return this.repository.findById(id)
			.switchIfEmpty(Mono.error(() -> new ProductNotFoundException(id)))
			.handle((product, sink) -> {
				long version = version(product);
				if (EntityTags.ifMatchAllows(ifMatch, version)) {
					sink.next(product);
				}
				else {
					sink.error(new VersionMismatchException(ifMatch, version));
				}
			});
	}

	/**
	 * MongoDB keeps milliseconds; truncating here makes responses equal to later reads.
	 */
	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
