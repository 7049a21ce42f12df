package io.productstore.product;

import io.productstore.support.RealServersConfiguration;

import org.springframework.context.annotation.Import;

/**
 * Tests for {@link ProductController} against a real {@code redis-server} process and a
 * MongoDB wire-protocol server started by the suite.
 */
@Import(RealServersConfiguration.class)
class ProductApiIntegrationTests extends ProductApiTestsBase {

}
