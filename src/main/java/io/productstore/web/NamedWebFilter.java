package io.productstore.web;

import org.springframework.web.server.WebFilter;

/**
 * A web filter named by a constant. Spring's filter chain wraps every filter's result in
 * {@code checkpoint(filter.toString())} on every request, and {@link Object#toString()}
 * builds its "class@hash" name anew each time: a few hundred bytes and an identity hash
 * per filter and request; with the security filters' names (see
 * {@code security/UncheckpointedSecurityFilters}), a tenth of what a cached read
 * allocated (docs/benchmarks.md, "Hot path").
 */
public abstract class NamedWebFilter implements WebFilter {

	private final String name = getClass().getSimpleName();

	@Override
	public final String toString() {
		return this.name;
	}

}
