package io.productstore.product;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.UnaryOperator;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;

/**
 * The product use cases: reads of one product, of filtered pages and of counts, and the
 * writes, each write guarded by the product's version.
 */
@Service
class ProductService {

	private final ProductRepository repository;

	private final ProductMergePatch mergePatch;

	private final Clock clock;

	ProductService(ProductRepository repository, ProductMergePatch mergePatch) {
		this.repository = repository;
		this.mergePatch = mergePatch;
		this.clock = Clock.systemUTC();
	}

	Mono<ProductResponse> find(String id) {
		return this.repository.findById(id)
			.map(ProductResponse::from)
			.switchIfEmpty(Mono.error(() -> new ProductNotFoundException(id)));
	}

	Mono<ProductPage> list(ProductQuery query) {
		PageRequest pageable = PageRequest.of(query.page(), query.size(), query.order());
		return this.repository.search(query.filter(), pageable)
			.map(ProductResponse::from)
			.collectList()
			.zipWith(this.repository.count(query.filter()))
			.map((result) -> ProductPage.of(result.getT1(), query, result.getT2()));
	}

	Mono<ProductCount> count(ProductFilter filter) {
		return this.repository.count(filter).map(ProductCount::new);
	}

	Mono<ProductResponse> create(ProductRequest request) {
		return this.repository.save(Product.create(request, now())).map(ProductResponse::from);
	}

	Mono<ProductResponse> replace(String id, ProductRequest request, List<String> ifMatch) {
		return update(id, ifMatch, (current) -> current.replacedBy(request, now()));
	}

	Mono<ProductResponse> patch(String id, JsonNode patch, List<String> ifMatch) {
		return update(id, ifMatch,
				(current) -> current.replacedBy(this.mergePatch.apply(ProductResponse.from(current), patch), now()));
	}

	Mono<ProductResponse> setWishlisted(String id, boolean wishlisted) {
		return update(id, List.of(), (current) -> {
			ProductRequest request = ProductRequest.from(ProductResponse.from(current));
			return current.replacedBy(new ProductRequest(request.name(), request.description(), request.category(),
					request.price(), request.currency(), request.stock(), request.tags(), request.images(),
					request.active(), wishlisted), now());
		});
	}

	Mono<Void> delete(String id, List<String> ifMatch) {
		return current(id, ifMatch).flatMap(this.repository::delete);
	}

	/**
	 * Loads the stored product, checks {@code If-Match}, applies the change and saves it;
	 * the save itself is conditional on the version read, so a concurrent writer that got
	 * in between makes it fail with an optimistic-locking error rather than be lost.
	 */
	private Mono<ProductResponse> update(String id, List<String> ifMatch, UnaryOperator<Product> change) {
		return current(id, ifMatch).map(change).flatMap(this.repository::save).map(ProductResponse::from);
	}

	private Mono<Product> current(String id, List<String> ifMatch) {
		return this.repository.findById(id)
			.switchIfEmpty(Mono.error(() -> new ProductNotFoundException(id)))
			.handle((product, sink) -> {
				long version = (product.version() != null) ? product.version() : 0;
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
