package io.productstore.mongodb;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a request may wait for MongoDB, under {@code app.mongodb}. The driver's
 * defaults (30 s server selection, 10 s connect, no read timeout) would keep requests
 * hanging through a MongoDB outage instead of answering 503.
 *
 * @param serverSelectionTimeout how long an operation waits for a reachable server before
 * failing (a stopped MongoDB answers 503 after this)
 * @param connectTimeout how long opening a connection may take
 * @param readTimeout how long a socket read may take (a hung MongoDB answers 503 after
 * this); longer than any query of this service
 */
@ConfigurationProperties("app.mongodb")
record MongoTimeoutProperties(@DefaultValue("2s") Duration serverSelectionTimeout,
		@DefaultValue("1s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout) {

}
