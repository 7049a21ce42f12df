package io.productstore.system;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin requests from browsers, under {@code app.cors}.
 *
 * @param allowedOrigins exact origins allowed
 * @param allowedOriginPatterns origin patterns allowed
 * @param allowedMethods the methods a cross-origin request may use
 * @param allowedHeaders the request headers a cross-origin request may send
 * @param maxAge how long a browser may cache a preflight answer
 */
// @formatter:off (the formatter breaks an array-valued annotation of a record component)
@ConfigurationProperties("app.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins,
		@DefaultValue List<String> allowedOriginPatterns,
		@DefaultValue({ "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" }) List<String> allowedMethods,
		@DefaultValue("*") List<String> allowedHeaders, @DefaultValue("30m") Duration maxAge) {
// @formatter:on

}
