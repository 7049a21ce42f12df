package io.productstore;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the packaged {@link ProductStoreApplication}, started the way the README
 * tells a user to: {@code java -jar target/product-store-*.jar}. Run by failsafe after
 * {@code package}.
 */
class PackagedApplicationIntegrationTests {

	@Test
	void startsWithEmbeddedServersAndLeavesNoChildProcessBehind(@TempDir Path workDirectory) throws Exception {
		int port = freePort();
		Path log = workDirectory.resolve("application.log");
		Process application = new ProcessBuilder(javaExecutable(), "-jar", packagedJar().toString(),
				"--server.port=" + port, "--app.embedded.mongodb.data-directory=" + workDirectory.resolve("mongodb"))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
			await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(500))
				.ignoreExceptions()
				.failFast("the application exited, see " + log, () -> !application.isAlive())
				.untilAsserted(() -> client.get()
					.uri("/actuator/health")
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody()
					.jsonPath("$.status")
					.isEqualTo("UP"));
			List<ProcessHandle> children = application.descendants().toList();
			assertThat(children).anyMatch((child) -> child.info().command().orElse("").contains("redis-server"));

			application.destroy();

			assertThat(application.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
		}
		catch (Throwable ex) {
			System.out.println("Application log:\n" + Files.readString(log));
			throw ex;
		}
		finally {
			application.descendants().forEach(ProcessHandle::destroyForcibly);
			application.destroyForcibly();
		}
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static Path packagedJar() throws IOException {
		List<Path> jars = new ArrayList<>();
		try (DirectoryStream<Path> candidates = Files.newDirectoryStream(Path.of("target"), "product-store-*.jar")) {
			candidates.forEach(jars::add);
		}
		assertThat(jars).as("packaged jar in target/ (run after 'package')").hasSize(1);
		return jars.get(0);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
