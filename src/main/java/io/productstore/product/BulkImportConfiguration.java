package io.productstore.product;

import io.productstore.web.StreamedBodyLimit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bulk import's body limit: it reads its body as a stream, so it may be larger than a
 * create's ({@code app.bulk-import.max-size} instead of the codecs' 1 MiB).
 */
@Configuration(proxyBeanMethods = false)
class BulkImportConfiguration {

	@Bean
	StreamedBodyLimit bulkImportBodyLimit(BulkImportProperties properties) {
		return new StreamedBodyLimit(ProductTransferController.BULK_PATH, properties.maxSize());
	}

}
