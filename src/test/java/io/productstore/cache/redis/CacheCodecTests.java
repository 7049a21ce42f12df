package io.productstore.cache.redis;

import java.util.Arrays;
import java.util.List;

import io.productstore.cache.CacheUnavailableException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CacheCodec}.
 */
class CacheCodecTests {

	private final CacheCodec codec = new CacheCodec(JsonMapper.builder().build(), 1024);

	@Test
	void storesSmallValuesAsPlainJson() {
		Page page = new Page(List.of("a", "b"), 2);
		byte[] entry = this.codec.encode(page);
		assertThat(entry[0]).isEqualTo(CacheCodec.JSON);
		assertThat(new String(entry, 1, entry.length - 1)).isEqualTo("{\"items\":[\"a\",\"b\"],\"total\":2}");
		assertThat(this.codec.decode(entry, Page.class)).isEqualTo(page);
	}

	@Test
	void compressesValuesAboveTheThreshold() {
		String[] names = new String[200];
		Arrays.setAll(names, (i) -> "product name number " + i);
		Page page = new Page(List.of(names), 200);
		byte[] entry = this.codec.encode(page);
		assertThat(entry[0]).isEqualTo(CacheCodec.LZ4);
		assertThat(entry.length).isLessThan(JsonMapper.builder().build().writeValueAsBytes(page).length / 2);
		assertThat(this.codec.decode(entry, Page.class)).isEqualTo(page);
	}

	@Test
	void readsEntriesWrittenWithAnotherThreshold() {
		String[] names = new String[100];
		Arrays.setAll(names, (i) -> "n" + i);
		Page page = new Page(List.of(names), 100);
		CacheCodec eager = new CacheCodec(JsonMapper.builder().build(), 16);
		assertThat(this.codec.decode(eager.encode(page), Page.class)).isEqualTo(page);
		assertThat(eager.decode(this.codec.encode(page), Page.class)).isEqualTo(page);
	}

	@Test
	void encodesAbsentValuesAsTheNegativeMarker() {
		assertThat(this.codec.encode(null)).containsExactly(CacheCodec.NEGATIVE);
		assertThat(this.codec.decode(new byte[] { CacheCodec.NEGATIVE }, Page.class)).isNull();
	}

	@Test
	void reportsUnreadableEntriesAsCacheFailures() {
		assertThatExceptionOfType(CacheUnavailableException.class)
			.isThrownBy(() -> this.codec.decodeOrThrow(new byte[] { 9, 1, 2 }, Page.class));
		assertThatExceptionOfType(CacheUnavailableException.class)
			.isThrownBy(() -> this.codec.decodeOrThrow(new byte[] { CacheCodec.LZ4, 0, 0, 0, 50, 1, 2 }, Page.class));
	}

	record Page(List<String> items, long total) {

	}

}
