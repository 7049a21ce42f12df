package io.productstore.support;

import java.util.List;
import java.util.Map;

import org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec;

/**
 * Reads list pages of the product API as plain maps: the page, its items and their ids.
 */
public final class Pages {

	private Pages() {
	}

	/** The body of a 200 response as a map. */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> body(ResponseSpec response) {
		return response.expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
	}

	@SuppressWarnings("unchecked")
	public static List<Map<String, Object>> items(Map<String, Object> page) {
		return (List<Map<String, Object>>) page.get("items");
	}

	public static List<String> ids(Map<String, Object> page) {
		return items(page).stream().map((item) -> (String) item.get("id")).toList();
	}

}
