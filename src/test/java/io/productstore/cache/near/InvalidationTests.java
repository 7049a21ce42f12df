package io.productstore.cache.near;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Invalidation}.
 */
class InvalidationTests {

	@Test
	void encodesTheThreeKindsInTheWireFormat() {
		assertThat(Invalidation.item("s1", "productstore:product:{42}").encode())
			.isEqualTo("s1 I productstore:product:{42}");
		assertThat(Invalidation.queries("s1", "product").encode()).isEqualTo("s1 G product");
		assertThat(Invalidation.all("s1").encode()).isEqualTo("s1 C -");
	}

	@Test
	void decodesWhatItEncodes() {
		for (Invalidation invalidation : new Invalidation[] { Invalidation.item("s1", "productstore:product:{42}"),
				Invalidation.queries("s1", "product"), Invalidation.all("s1") }) {
			assertThat(Invalidation.decode(invalidation.encode())).isEqualTo(invalidation);
		}
	}

	@Test
	void decodesTheWireFormat() {
		assertThat(Invalidation.decode("s1 I productstore:product:{42}"))
			.isEqualTo(new Invalidation("s1", Invalidation.Kind.ITEM, "productstore:product:{42}"));
		assertThat(Invalidation.decode("s1 G product"))
			.isEqualTo(new Invalidation("s1", Invalidation.Kind.QUERIES, "product"));
		assertThat(Invalidation.decode("s1 C -")).isEqualTo(new Invalidation("s1", Invalidation.Kind.ALL, "-"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "productstore:product:{a b}", "x:y", "a  b", "trailing ", " leading", "I G C" })
	void keysWithSpacesOrColonsSurviveTheRoundTrip(String key) {
		Invalidation invalidation = Invalidation.item("9b2f6c1e-sender", key);
		assertThat(Invalidation.decode(invalidation.encode())).isEqualTo(invalidation);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "s1", "s1 ", "s1 I", "s1 I ", " I key", "s1 X key", "s1 i key", "s1 II key",
			"s1  I key", "s1 Ikey" })
	void malformedMessagesDecodeToNull(String message) {
		assertThat(Invalidation.decode(message)).isNull();
	}

}
