package io.productstore.security;

import io.productstore.web.ProblemResponseWriter;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * What a {@code @WebFluxTest} slice does not pick up by itself for a realistic web layer:
 * this package's security, users and CORS, and the problem writer of
 * {@code io.productstore.web}; public for the slices of other packages.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ SecurityConfiguration.class, UsersConfiguration.class, CorsConfigurationSourceConfiguration.class,
		ProblemSecurityHandlers.class, ProblemResponseWriter.class })
public class WebLayerTestConfiguration {

}
