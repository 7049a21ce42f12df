package io.productstore.product;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits and batching of {@code POST /api/products/bulk} under {@code app.bulk-import}.
 *
 * @param maxLines product lines accepted in one import (blank lines not counted)
 * @param maxSize body size accepted in one import
 * @param batchSize lines stored together: one {@code insertMany} and one cache
 * invalidation per batch
 * @param progressEvery a progress line is logged each time this many lines have been read
 */
@ConfigurationProperties("app.bulk-import")
record BulkImportProperties(@DefaultValue("10000") int maxLines, @DefaultValue("32MB") DataSize maxSize,
		@DefaultValue("500") int batchSize, @DefaultValue("2000") int progressEvery) {

}
