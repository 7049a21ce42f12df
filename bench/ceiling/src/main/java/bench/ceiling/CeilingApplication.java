package bench.ceiling;

import java.nio.charset.StandardCharsets;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * What Spring WebFlux serves on this machine with nothing around it: one annotated
 * handler that answers {@code GET /api/products/{id}} with a constant product JSON of
 * about 400 bytes, as the service's near cache answers a hit (stored bytes, no encoding).
 * {@link PlainHandler} is the ceiling; {@link ServiceFormHandler}
 * ({@code ceiling.handler=service-form}) has the service's handler form, so that the
 * benchmark tells what that form costs.
 */
@SpringBootApplication
public class CeilingApplication {

	static final byte[] PRODUCT = ("{\"id\":\"6b0f5a6febe78b83fadcb8f1\",\"name\":\"Espresso machine\","
			+ "\"description\":\"15-bar pump, steam wand, 1.8 l water tank, stainless steel housing\",\"category\":\"kitchen\","
			+ "\"price\":249.90,\"currency\":\"USD\",\"stock\":12,\"tags\":[\"coffee\",\"espresso\"],"
			+ "\"images\":[],\"active\":true,\"wishlisted\":false,\"version\":0,"
			+ "\"createdAt\":\"2026-12-01T23:37:40.123Z\",\"updatedAt\":\"2026-12-01T23:37:40.123Z\"}")
		.getBytes(StandardCharsets.UTF_8);

	public static void main(String[] args) {
		SpringApplication.run(CeilingApplication.class, args);
	}

}
