package io.productstore.product;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * HTTP caching of public product reads by browsers, CDNs and proxies, under
 * {@code app.http-cache}.
 *
 * @param enabled send {@code Cache-Control: public, ...} on anonymous product reads
 * (otherwise they get {@code no-store} like every other response)
 * @param maxAge how long a client may reuse a response without asking
 * @param staleWhileRevalidate how long after that it may still serve it while it
 * revalidates in the background
 */
@ConfigurationProperties("app.http-cache")
public record HttpCacheProperties(@DefaultValue("true") boolean enabled, @DefaultValue("5s") Duration maxAge,
		@DefaultValue("30s") Duration staleWhileRevalidate) {

}
