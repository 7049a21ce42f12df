package io.productstore.product;

import io.swagger.v3.oas.models.Operation;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/**
 * Leaves the paging parameters out of the facets operation in the OpenAPI document: the
 * route binds the whole {@link ProductQuery} for its filters (one set of validation
 * rules), and springdoc, which flattens that record into parameters, would otherwise list
 * page, size and sort, which the route refuses.
 */
@Component
class FacetsOperationCustomizer implements OperationCustomizer {

	@Override
	public Operation customize(Operation operation, HandlerMethod handler) {
		if (handler.getBeanType() == ProductFacetsController.class && operation.getParameters() != null) {
			operation.getParameters()
				.removeIf((parameter) -> ProductFacetsController.NOT_FACET_PARAMETERS.contains(parameter.getName()));
		}
		return operation;
	}

}
