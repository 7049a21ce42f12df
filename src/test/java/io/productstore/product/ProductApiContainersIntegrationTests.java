package io.productstore.product;

import io.productstore.support.ContainersConfiguration;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.context.annotation.Import;

/**
 * Tests for {@link ProductController} against {@code mongo:8} and {@code redis:7}
 * containers; skipped where Docker is not available.
 */
@Testcontainers(disabledWithoutDocker = true)
@Import(ContainersConfiguration.class)
class ProductApiContainersIntegrationTests extends ProductApiTestsBase {

}
