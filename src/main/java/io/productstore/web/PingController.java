package io.productstore.web;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/ping}: the cheapest JSON response the service can give (no database, no
 * cache), through the same filters as every other request: what the filters alone cost,
 * next to the bare WebFlux ceiling of {@code bench/hot-path.sh}.
 */
@RestController
class PingController {

	private static final Pong PONG = new Pong("ok");

	@GetMapping("/api/ping")
	Pong ping() {
		return PONG;
	}

	/**
	 * The response.
	 *
	 * @param status always {@code ok}
	 */
	record Pong(String status) {

	}

}
