package io.productstore.product;

import java.util.List;

import io.productstore.support.RealServersConfiguration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.IndexInfo;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProductIndexes}: the compound keyset indexes are created at startup.
 */
@SpringBootTest
@ActiveProfiles("test")
@Import(RealServersConfiguration.class)
class ProductIndexesIntegrationTests {

	@Autowired
	ProductIndexes indexes;

	@Autowired
	ReactiveMongoTemplate mongo;

	@Test
	void createsAnIndexPerSortFieldAndDirectionEndingWithTheIdTieBreaker() {
		this.indexes.created()
			.as(StepVerifier::create)
			.expectNext((long) ProductIndexes.indexes().size())
			.verifyComplete();
		List<String> names = this.mongo.indexOps(Product.class)
			.getIndexInfo()
			.map(IndexInfo::getName)
			.collectList()
			.block();
		assertThat(names).contains("price_1__id_1", "price_-1__id_1", "createdAt_-1__id_1",
				"category_1_createdAt_-1__id_1", "tags_1");
	}

}
