package io.productstore;

import io.productstore.support.ContainersConfiguration;

import org.springframework.boot.SpringApplication;

/**
 * Runs the service against real {@code mongo:8} and {@code redis:7} containers (needs
 * Docker): {@code ./mvnw spring-boot:test-run}.
 */
public final class TestProductStoreApplication {

	private TestProductStoreApplication() {
	}

	public static void main(String[] args) {
		SpringApplication.from(ProductStoreApplication::main)
			.with(ContainersConfiguration.class)
			.withAdditionalProfiles("containers")
			.run(args);
	}

}
