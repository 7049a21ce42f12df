package io.productstore.embedded;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the change streams of {@link EmbeddedMongoBackend}: which event each kind of
 * write reports, resuming, the errors of a lost history, and the waiting {@code getMore}.
 */
class EmbeddedChangeStreamsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final AtomicInteger getMores = new AtomicInteger();

	private MongoServer server;

	private MongoClient client;

	private MongoCollection<Document> products;

	@BeforeEach
	void start() {
		startWithOplogOf(ChangeStreamOplog.DEFAULT_CAPACITY);
	}

	@AfterEach
	void stop() {
		// The server first: a getMore a test left waiting then fails while the client is
		// still open, as any failed command does. After the client's close it failed into
		// a closed session pool, and the driver logged that as an error.
		this.server.shutdownNow();
		this.client.close();
	}

	@Test
	void reportsEveryKindOfWriteWithTheDocumentsId() {
		ObjectId id = new ObjectId();
		ObjectId upserted = new ObjectId();
		List<ChangeStreamDocument<Document>> events = new CopyOnWriteArrayList<>();
		Disposable watching = Flux.from(this.products.watch()).subscribe(events::add);
		awaitWatching();
		write(this.products.insertOne(new Document("_id", id).append("version", 0L)));
		// What Spring Data's save of a versioned document sends.
		write(this.products.replaceOne(new Document("_id", id).append("version", 0L),
				new Document("_id", id).append("version", 1L)));
		write(this.products.updateOne(new Document("_id", id), new Document("$inc", new Document("version", 1L))));
		write(this.products.updateMany(new Document(), new Document("$set", new Document("stock", 3))));
		write(this.products.findOneAndUpdate(new Document("_id", id), new Document("$set", new Document("stock", 4))));
		write(this.products.findOneAndReplace(new Document("_id", id), new Document("version", 9L),
				new FindOneAndReplaceOptions()));
		write(this.products.updateOne(new Document("_id", upserted), new Document("$set", new Document("stock", 1)),
				new UpdateOptions().upsert(true)));
		write(this.products.deleteMany(new Document()));

		await().atMost(TIMEOUT).until(() -> events.size() == 9);
		watching.dispose();
		assertThat(events).extracting((event) -> event.getOperationTypeString() + " " + event.getDocumentKey())
			.containsExactly(changed("insert", id), changed("replace", id), changed("update", id),
					changed("update", id), changed("update", id), changed("replace", id), changed("insert", upserted),
					changed("delete", id), changed("delete", upserted));
		assertThat(events.get(0).getFullDocument()).containsEntry("version", 0L);
		assertThat(events).allSatisfy((event) -> assertThat(event.getWallTime()).isNotNull());
	}

	@Test
	void resumesAfterATokenWithEveryLaterWrite() {
		BsonTimestamp start = operationTime();
		ObjectId first = insert();
		ObjectId second = insert();
		ObjectId third = insert();
		BsonDocument token = Flux.from(this.products.watch().startAtOperationTime(start))
			.take(1)
			.blockLast(TIMEOUT)
			.getResumeToken();
		assertThat(Flux.from(this.products.watch().resumeAfter(token))
			.take(2)
			.map((event) -> event.getDocumentKey().getObjectId("_id").getValue())
			.collectList()
			.block(TIMEOUT)).containsExactly(second, third).doesNotContain(first);
	}

	@Test
	void refusesTokensItNeverIssuedOrCannotRead() {
		insert();
		assertThat(errorCode(new BsonDocument("_data", new BsonString("7fffffff00000001")))).isEqualTo(280);
		// A token in a real MongoDB's format, as from another cluster.
		assertThat(errorCode(new BsonDocument("_data", new BsonString("8263F1A2B3000000012B022C0100296E5A1004"))))
			.isEqualTo(260);
	}

	@Test
	void reportsTheHistoryLostOnceTheOplogHasDroppedTheResumePoint() {
		stop();
		startWithOplogOf(3);
		BsonTimestamp start = operationTime();
		insert();
		BsonDocument token = Flux.from(this.products.watch().startAtOperationTime(start))
			.take(1)
			.blockLast(TIMEOUT)
			.getResumeToken();
		for (int i = 0; i < 4; i++) {
			insert();
		}
		assertThat(errorCode(token)).isEqualTo(286);
		assertThat(catchThrowableOfType(MongoCommandException.class,
				() -> Flux.from(this.products.watch().startAtOperationTime(start)).blockFirst(Duration.ofSeconds(2)))
			.getErrorCode()).isEqualTo(286);
	}

	@Test
	void answersAnIdleGetMoreWhenTheNextWriteArrivesNotAtOnce() {
		List<ChangeStreamDocument<Document>> events = new CopyOnWriteArrayList<>();
		Disposable watching = Flux.from(this.products.watch()).subscribe(events::add);
		awaitWatching();
		int before = this.getMores.get();
		await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
		// mongo-java-server alone answers about 2,000 getMores a second here.
		assertThat(this.getMores.get() - before).isLessThanOrEqualTo(4);

		long start = System.nanoTime();
		insert();
		await().atMost(TIMEOUT).until(() -> events.size() == 1);
		watching.dispose();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
	}

	@Test
	void endsACollectionsStreamWhenTheCollectionIsDropped() {
		insert();
		List<String> types = new CopyOnWriteArrayList<>();
		Mono<Void> ended = Flux.from(this.products.watch())
			.doOnNext((event) -> types.add(event.getOperationTypeString()))
			.then()
			.cache();
		ended.subscribe();
		awaitWatching();
		write(this.products.drop());
		ended.block(TIMEOUT);
		assertThat(types).containsExactly("drop", "invalidate");
	}

	@Test
	void tellsItsLatestClusterTimeInTheHandshake() {
		BsonTimestamp before = operationTime();
		insert();
		assertThat(operationTime()).isGreaterThan(before);
	}

	private void startWithOplogOf(int capacity) {
		this.server = new MongoServer(EmbeddedMongoBackend.inMemory(capacity));
		this.server.bind("127.0.0.1", 0);
		CommandListener counting = new CommandListener() {
			@Override
			public void commandStarted(CommandStartedEvent event) {
				if (event.getCommandName().equals("getMore")) {
					EmbeddedChangeStreamsIntegrationTests.this.getMores.incrementAndGet();
				}
			}
		};
		this.client = MongoClients.create(MongoClientSettings.builder()
			.applyConnectionString(
					new ConnectionString("mongodb://127.0.0.1:" + this.server.getLocalAddress().getPort()))
			.addCommandListener(counting)
			.build());
		this.products = this.client.getDatabase("productstore").getCollection("products");
	}

	/** A stream's first getMore is sent once its aggregate has been answered. */
	private void awaitWatching() {
		int before = this.getMores.get();
		await().atMost(TIMEOUT).until(() -> this.getMores.get() > before);
	}

	private BsonTimestamp operationTime() {
		Document hello = Mono.from(this.client.getDatabase("admin").runCommand(new Document("hello", 1)))
			.block(TIMEOUT);
		assertThat(hello.getBoolean("isWritablePrimary")).isTrue();
		return (BsonTimestamp) hello.get("operationTime");
	}

	private int errorCode(BsonDocument token) {
		return catchThrowableOfType(MongoCommandException.class,
				() -> Flux.from(this.products.watch().resumeAfter(token)).blockFirst(Duration.ofSeconds(2)))
			.getErrorCode();
	}

	private ObjectId insert() {
		ObjectId id = new ObjectId();
		write(this.products.insertOne(new Document("_id", id)));
		return id;
	}

	private static void write(org.reactivestreams.Publisher<?> write) {
		Mono.from(write).block(TIMEOUT);
	}

	private static String changed(String type, ObjectId id) {
		return type + " {\"_id\": {\"$oid\": \"" + id.toHexString() + "\"}}";
	}

}
