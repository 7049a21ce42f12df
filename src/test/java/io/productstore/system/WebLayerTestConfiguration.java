package io.productstore.system;

import io.productstore.web.ProblemResponseWriter;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The beans of this package that a {@code @WebFluxTest} slice does not pick up by itself:
 * security, users, CORS and the problem writer.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ SecurityConfiguration.class, UsersConfiguration.class, CorsConfigurationSourceConfiguration.class,
		ProblemSecurityHandlers.class, ProblemResponseWriter.class })
public class WebLayerTestConfiguration {

}
