package io.productstore.support;

import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient.RequestHeadersSpec;
import org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec;

/**
 * Hides the {@link WebTestClient} plumbing of product API calls: paths, credentials of
 * the development users and content types.
 */
public final class ProductApi {

	public static final String ADMIN = "admin";

	public static final String EDITOR = "editor";

	public static final String USER = "user";

	private final WebTestClient client;

	public ProductApi(WebTestClient client) {
		this.client = client;
	}

	public WebTestClient client() {
		return this.client;
	}

	/** A valid product body, with the given fields replaced or added. */
	public static Map<String, Object> product(Object... overrides) {
		Map<String, Object> body = new java.util.LinkedHashMap<>();
		body.put("name", "Espresso machine");
		body.put("description", "15-bar pump");
		body.put("category", "kitchen");
		body.put("price", 249.90);
		for (int i = 0; i < overrides.length; i += 2) {
			body.put((String) overrides[i], overrides[i + 1]);
		}
		return body;
	}

	public ResponseSpec create(Object body) {
		return this.client.post()
			.uri("/api/products")
			.headers(as(EDITOR))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	/** Creates a product and returns its id. */
	public String createdId(Object body) {
		return create(body).expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("id")
			.toString();
	}

	public ResponseSpec get(String id) {
		return this.client.get().uri("/api/products/{id}", id).exchange();
	}

	public RequestHeadersSpec<?> getRequest(String id) {
		return this.client.get().uri("/api/products/{id}", id);
	}

	public ResponseSpec replace(String id, Object body, String ifMatch) {
		return this.client.put()
			.uri("/api/products/{id}", id)
			.headers(as(EDITOR))
			.headers((headers) -> ifMatch(headers, ifMatch))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	public ResponseSpec patch(String id, Object body, String ifMatch) {
		return this.client.patch()
			.uri("/api/products/{id}", id)
			.headers(as(EDITOR))
			.headers((headers) -> ifMatch(headers, ifMatch))
			.contentType(MediaType.parseMediaType("application/merge-patch+json"))
			.bodyValue(body)
			.exchange();
	}

	public ResponseSpec delete(String id) {
		return this.client.delete().uri("/api/products/{id}", id).headers(as(EDITOR)).exchange();
	}

	public ResponseSpec wishlist(String id, boolean wishlisted, String user) {
		return this.client.patch()
			.uri("/api/products/{id}/wishlist", id)
			.headers(as(user))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("wishlisted", wishlisted))
			.exchange();
	}

	public ResponseSpec list(String query) {
		return this.client.get().uri("/api/products" + query).exchange();
	}

	/**
	 * Basic credentials of a development user (password = name in the default profile).
	 */
	public static java.util.function.Consumer<HttpHeaders> as(String user) {
		return (headers) -> {
			if (user != null) {
				headers.setBasicAuth(user, user);
			}
		};
	}

	private static void ifMatch(HttpHeaders headers, String ifMatch) {
		if (ifMatch != null) {
			headers.set(HttpHeaders.IF_MATCH, ifMatch);
		}
	}

}
