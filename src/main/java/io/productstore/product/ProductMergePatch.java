package io.productstore.product;

import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebInputException;

/**
 * Applies a JSON Merge Patch (RFC 7396) to the writable fields of a product and validates
 * the result exactly like a full replacement.
 */
@Component
class ProductMergePatch {

	private final JsonMapper json;

	private final Validator validator;

	ProductMergePatch(JsonMapper json, Validator validator) {
		this.json = json;
		this.validator = validator;
	}

	ProductRequest apply(ProductResponse current, JsonNode patch) {
		if (patch == null || !patch.isObject()) {
			throw new ServerWebInputException("A merge patch must be a JSON object");
		}
		JsonNode merged = merge(this.json.valueToTree(ProductRequest.from(current)), patch);
		ProductRequest request = read(merged);
		Set<ConstraintViolation<ProductRequest>> violations = this.validator.validate(request);
		if (!violations.isEmpty()) {
			throw new ConstraintViolationException(violations);
		}
		return request;
	}

	private ProductRequest read(JsonNode merged) {
		try {
			return this.json.treeToValue(merged, ProductRequest.class);
		}
		catch (JacksonException ex) {
			throw new ServerWebInputException("Invalid merge patch", null, ex);
		}
	}

	/**
	 * RFC 7396 section 2: null removes a member, objects merge, anything else replaces.
	 */
	private static JsonNode merge(JsonNode target, JsonNode patch) {
		if (!patch.isObject()) {
			return patch;
		}
		ObjectNode result = (target != null && target.isObject()) ? (ObjectNode) target
				: ((ObjectNode) patch).objectNode();
		for (Map.Entry<String, JsonNode> member : patch.properties()) {
			if (member.getValue().isNull()) {
				result.remove(member.getKey());
			}
			else {
				result.set(member.getKey(), merge(result.get(member.getKey()), member.getValue()));
			}
		}
		return result;
	}

}
