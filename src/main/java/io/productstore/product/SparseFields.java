package io.productstore.product;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * Cuts a cached product or page down to the members of a {@link FieldSelection}: from the
 * JSON the cache already holds, so every selection is served by the one cached entry (no
 * cache per projection) and is formatted exactly as the full response.
 */
@Component
class SparseFields {

	private final JsonMapper json;

	SparseFields(JsonMapper json) {
		this.json = json;
	}

	/** The product's JSON with the selected members only. */
	byte[] product(byte[] product, FieldSelection selection) {
		ObjectNode node = (ObjectNode) this.json.readTree(product);
		node.retain(selection.names());
		return this.json.writeValueAsBytes(node);
	}

	/** The page's JSON with the selected members only in each of its items. */
	byte[] page(byte[] page, FieldSelection selection) {
		JsonNode node = this.json.readTree(page);
		for (JsonNode item : node.path("items")) {
			((ObjectNode) item).retain(selection.names());
		}
		return this.json.writeValueAsBytes(node);
	}

}
