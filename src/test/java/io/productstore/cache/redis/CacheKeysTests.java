package io.productstore.cache.redis;

import io.productstore.cache.QueryKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CacheKeys}.
 */
class CacheKeysTests {

	private final CacheKeys keys = new CacheKeys("productstore:");

	@Test
	void keepsObjectIdsReadableInsideAHashTag() {
		CacheKeys.ItemKeys item = this.keys.item("product", "65a1f0c2e4b0a1b2c3d4e5f6");
		assertThat(item.entry()).isEqualTo("productstore:product:{65a1f0c2e4b0a1b2c3d4e5f6}");
		assertThat(item.lock()).isEqualTo("productstore:product:{65a1f0c2e4b0a1b2c3d4e5f6}:lock");
		assertThat(item.version()).isEqualTo("productstore:product:{65a1f0c2e4b0a1b2c3d4e5f6}:ver");
	}

	@Test
	void percentEncodesEveryCharacterThatCouldActAsPatternOrTag() {
		assertThat(this.keys.item("product", "*?[]:{}\\%").entry())
			.isEqualTo("productstore:product:{%2A%3F%5B%5D%3A%7B%7D%5C%25}");
	}

	@Test
	void hashesVeryLongIds() {
		assertThat(this.keys.item("product", "x".repeat(500)).entry())
			.matches("productstore:product:\\{~[0-9a-f]{64}}");
	}

	@Test
	void digestsQueriesUnderTheGeneration() {
		CacheKeys.EntryKeys list = this.keys.query("product", QueryKind.LIST, 42, "category=*");
		assertThat(list.entry()).matches("productstore:product:list:\\{g42\\.[0-9a-f]{64}}");
		assertThat(list.lock()).isEqualTo(list.entry() + ":lock");
		assertThat(this.keys.query("product", QueryKind.COUNT, 42, "category=*").entry())
			.startsWith("productstore:product:count:{g42.");
	}

	@Test
	void escapesGlobCharactersOfThePrefixInTheNamespacePattern() {
		assertThat(new CacheKeys("a*b?[c]\\:").namespacePattern()).isEqualTo("a\\*b\\?\\[c\\]\\\\:*");
		assertThat(this.keys.namespacePattern()).isEqualTo("productstore:*");
	}

}
