package io.productstore.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin access for browser frontends ({@code app.cors}); none unless configured.
 *
 * @param allowedOrigins exact origins, such as {@code https://shop.example}
 * @param allowedOriginPatterns origin patterns, such as {@code http://localhost:[*]}
 * @param allowedMethods the methods a cross-origin request may use
 * @param allowedHeaders the request headers a cross-origin request may send
 * @param maxAge how long a browser may cache a preflight answer
 */
@ConfigurationProperties("app.cors")
// @formatter:off (the formatter breaks a record component with an array-valued annotation)
record CorsProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue List<String> allowedOriginPatterns,
		@DefaultValue({ "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" }) List<String> allowedMethods,
		@DefaultValue("*") List<String> allowedHeaders, @DefaultValue("30m") Duration maxAge) {
// @formatter:on

}
