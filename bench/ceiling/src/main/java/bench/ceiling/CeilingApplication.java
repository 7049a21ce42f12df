package bench.ceiling;

import java.nio.charset.StandardCharsets;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * What Spring WebFlux serves on this machine with nothing around it: one annotated
 * handler that answers {@code GET /api/products/{id}} with a constant product JSON of
 * about 400 bytes, as the service's near cache answers a hit (stored bytes, no encoding).
 */
@SpringBootApplication
@RestController
public class CeilingApplication {

	private static final byte[] PRODUCT = ("{\"id\":\"6b0f5a6febe78b83fadcb8f1\",\"name\":\"Espresso machine\","
			+ "\"description\":\"15-bar pump, steam wand, 1.8 l water tank, stainless steel housing\",\"category\":\"kitchen\","
			+ "\"price\":249.90,\"currency\":\"USD\",\"stock\":12,\"tags\":[\"coffee\",\"espresso\"],"
			+ "\"images\":[],\"active\":true,\"wishlisted\":false,\"version\":0,"
			+ "\"createdAt\":\"2026-12-01T23:37:40.123Z\",\"updatedAt\":\"2026-12-01T23:37:40.123Z\"}")
		.getBytes(StandardCharsets.UTF_8);

	public static void main(String[] args) {
		SpringApplication.run(CeilingApplication.class, args);
	}

	@GetMapping("/api/products/{id}")
	ResponseEntity<byte[]> product(@PathVariable String id) {
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(PRODUCT);
	}

}
