package io.productstore.web;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.webflux.autoconfigure.WebFluxRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * Request mappings that ask about the path first. A request to a path with a variable,
 * such as {@code /api/products/{id}}, is held against every mapping, and Spring asks each
 * about its method, parameters, headers, {@code Content-Type} and {@code Accept} before
 * its path: for a mapping that declares what it produces, that builds a matching
 * condition from the request's {@code Accept} header although the path rules the mapping
 * out. A cached read spent about 8 % of its CPU there (docs/benchmarks.md, "Hot path").
 * The path first rules out nearly every mapping with one pattern match; the mappings it
 * keeps are asked everything as before, so the same mapping wins. And they are asked
 * before the actuator's endpoint mappings, which Spring asks first otherwise: the API is
 * the traffic, no route of the service lies under {@code /actuator}, and an actuator
 * request the service's mappings do not take goes on to the actuator's as before.
 */
@Configuration(proxyBeanMethods = false)
class PathFirstRequestMappings {

	@Bean
	WebFluxRegistrations pathFirstRequestMappingHandlerMapping() {
		return new WebFluxRegistrations() {
			@Override
			public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
				return new PathFirstRequestMappingHandlerMapping();
			}
		};
	}

	static final class PathFirstRequestMappingHandlerMapping extends RequestMappingHandlerMapping {

		/** Before Boot's actuator endpoint mapping, at -100. */
		static final int ORDER = -200;

		// Spring's configuration sets 0 after creating the mapping: the order is this
		// class's own.
		@Override
		public int getOrder() {
			return ORDER;
		}

		@Override
		protected @Nullable RequestMappingInfo getMatchingMapping(RequestMappingInfo info, ServerWebExchange exchange) {
			if (info.getPatternsCondition().getMatchingCondition(exchange) == null) {
				return null;
			}
			return super.getMatchingMapping(info, exchange);
		}

	}

}
