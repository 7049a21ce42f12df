package io.productstore.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import io.productstore.embedded.EmbeddedMongoBackend;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The origin of the benchmark: an in-process mongo-java-server on loopback holding a
 * small catalogue, read through the reactive MongoDB driver, counting every read.
 */
final class Catalogue implements AutoCloseable {

	static final int PRODUCTS = 200;

	static final int PAGE_SIZE = 20;

	static final List<String> CATEGORIES = List.of("tools", "garden", "kitchen", "toys", "books");

	private final MongoServer server;

	private final MongoClient client;

	private final MongoCollection<Document> products;

	private final AtomicLong reads = new AtomicLong();

	private final Duration extraLatency;

	private Catalogue(MongoServer server, MongoClient client, Duration extraLatency) {
		this.server = server;
		this.client = client;
		this.extraLatency = extraLatency;
		this.products = client.getDatabase("bench").getCollection("products");
	}

	/**
	 * Starts the server, seeds it and connects.
	 * @param extraLatency added before every read (zero: the bare loopback find), to
	 * model a slower or busier database
	 * @return the running origin
	 */
	static Catalogue start(Duration extraLatency) {
		MongoServer server = new MongoServer(EmbeddedMongoBackend.inMemory());
		server.bind("127.0.0.1", 0);
		InetSocketAddress address = server.getLocalAddress();
		Catalogue catalogue = new Catalogue(server,
				MongoClients.create("mongodb://127.0.0.1:" + address.getPort() + "/bench"), extraLatency);
		catalogue.seed();
		return catalogue;
	}

	/** Reads one product by id: one MongoDB {@code find} per subscription. */
	Supplier<Mono<Product>> item(String id) {
		return () -> Mono.defer(() -> {
			this.reads.incrementAndGet();
			return latency().then(Mono.from(this.products.find(Filters.eq("_id", id)).first())).map(Catalogue::product);
		});
	}

	/**
	 * Reads one page of a category: one MongoDB {@code find} with sort, skip and limit.
	 */
	Supplier<Mono<Page>> page(String category, int page) {
		return () -> Mono.defer(() -> {
			this.reads.incrementAndGet();
			return latency()
				.thenMany(Flux.from(this.products.find(Filters.eq("category", category))
					.sort(Sorts.ascending("_id"))
					.skip(page * PAGE_SIZE)
					.limit(PAGE_SIZE)))
				.map(Catalogue::product)
				.collectList()
				.map((items) -> new Page(items, page, PAGE_SIZE));
		});
	}

	private Mono<Void> latency() {
		return this.extraLatency.isZero() ? Mono.empty() : Mono.delay(this.extraLatency).then();
	}

	long reads() {
		return this.reads.get();
	}

	void resetReads() {
		this.reads.set(0);
	}

	static String id(int n) {
		return String.format("p-%04d", n % PRODUCTS);
	}

	static Product product(int n, long version) {
		String category = CATEGORIES.get(n % CATEGORIES.size());
		return new Product(id(n), "Product " + n,
				"A sturdy " + category + " item number " + n + ", the kind of description a catalogue carries for "
						+ "every product: materials, sizes, care and what comes in the box.",
				category, 1000 + 37L * n, n % 50, List.of(category, "bench", "tag-" + (n % 7)), version);
	}

	@Override
	public void close() {
		this.client.close();
		this.server.shutdownNow();
	}

	private void seed() {
		List<Document> documents = new ArrayList<>();
		for (int n = 0; n < PRODUCTS; n++) {
			Product product = product(n, 1);
			documents.add(new Document("_id", product.id()).append("name", product.name())
				.append("description", product.description())
				.append("category", product.category())
				.append("priceCents", product.priceCents())
				.append("stock", product.stock())
				.append("tags", product.tags())
				.append("version", product.version()));
		}
		Mono.from(this.products.insertMany(documents)).block();
	}

	private static Product product(Document document) {
		return new Product(document.getString("_id"), document.getString("name"), document.getString("description"),
				document.getString("category"), document.getLong("priceCents"), document.getInteger("stock"),
				document.getList("tags", String.class), document.getLong("version"));
	}

	/** A product as cached: a catalogue entry of a few hundred bytes of JSON. */
	record Product(String id, String name, String description, String category, long priceCents, int stock,
			List<String> tags, long version) {

	}

	/** A list page as cached: twenty products. */
	record Page(List<Product> items, int page, int size) {

	}

}
