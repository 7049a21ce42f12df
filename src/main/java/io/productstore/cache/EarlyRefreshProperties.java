package io.productstore.cache;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;

/**
 * Probabilistic early refresh (XFetch) of cache entries under
 * {@code app.cache.early-refresh}.
 *
 * @param enabled refresh hot entries shortly before they expire
 * @param beta how eagerly: 1 is the paper's optimum, larger refreshes earlier
 */
@ConfigurationProperties("app.cache.early-refresh")
public record EarlyRefreshProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1.0") double beta) {

	public EarlyRefreshProperties {
		Assert.isTrue(beta > 0, "app.cache.early-refresh.beta must be positive");
	}

}
