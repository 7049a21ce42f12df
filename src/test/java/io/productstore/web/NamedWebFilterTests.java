package io.productstore.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NamedWebFilter}.
 */
class NamedWebFilterTests {

	@Test
	void namesAFilterByOneConstantString() {
		RequestIdFilter filter = new RequestIdFilter();

		assertThat(filter.toString()).isEqualTo("RequestIdFilter").isSameAs(filter.toString());
		assertThat(new ResponseTimeFilter()).hasToString("ResponseTimeFilter");
	}

}
