package io.productstore.idempotency;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link IdempotencyKey}.
 */
class IdempotencyKeyTests {

	@ParameterizedTest
	@ValueSource(strings = { "a", "3f1c9a52-6a0e-4b8e-9d1e-2f6c1b7d8e90", "*", "{tag}:x?[a]", "!~" })
	void acceptsOneTo128VisibleAsciiCharacters(String value) {
		assertThat(IdempotencyKey.wellFormed(value)).isTrue();
		assertThat(IdempotencyKey.wellFormed("k".repeat(128))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "with space", "tab\there", "naïve", "line\nbreak", "\u0000", "\u007f" })
	void refusesEmptyInvisibleAndNonAsciiKeys(String value) {
		assertThat(IdempotencyKey.wellFormed(value)).isFalse();
		assertThatExceptionOfType(IdempotencyRefusedException.class)
			.isThrownBy(() -> new IdempotencyKey("editor", value))
			.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(400));
	}

	@Test
	void refusesKeysLongerThan128Characters() {
		assertThat(IdempotencyKey.wellFormed("k".repeat(129))).isFalse();
		assertThat(IdempotencyKey.wellFormed(null)).isFalse();
	}

	@Test
	void redisKeyCarriesNoClientTextAndSeparatesCallers() {
		String key = new IdempotencyKey("editor", "*{x}:y?[z]").redisKey("p:");
		assertThat(key).matches("p:[0-9a-f]{64}");
		assertThat(new IdempotencyKey("ab", "c").redisKey("p:"))
			.isNotEqualTo(new IdempotencyKey("a", "bc").redisKey("p:"));
		assertThat(new IdempotencyKey("admin", "k").redisKey("p:"))
			.isNotEqualTo(new IdempotencyKey("editor", "k").redisKey("p:"));
	}

}
