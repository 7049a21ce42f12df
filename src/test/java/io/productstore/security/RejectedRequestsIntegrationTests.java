package io.productstore.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.productstore.support.ProductApi;
import io.productstore.support.RealServersConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.productstore.support.ProductApi.product;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests Spring Security's firewall refuses, sent byte for byte over a socket (an HTTP
 * client would normalise or refuse them): each is a 400 problem that echoes nothing of
 * the request, whether the firewall refuses it up front (its URL) or when a filter or
 * handler reads the refused header through the firewalled request (which used to be a
 * 500).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@Import(RealServersConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class RejectedRequestsIntegrationTests {

	// U+0085 (NEXT LINE), one ISO-8859-1 byte: a control character that the HTTP codec
	// lets through and the firewall refuses.
	private static final String CONTROL = "\u0085";

	@LocalServerPort
	int port;

	@Autowired
	WebTestClient client;

	private String id;

	@BeforeEach
	void createAProduct() {
		this.id = new ProductApi(this.client).createdId(product("name", "Firewalled lamp"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/products/%2e%2e/x", "/api/products/a%2Fb", "/api/products/a%5Cb",
			"/api/products/a%25b", "/api/products/a%00b", "/api/products/./x" })
	void refusesAnUnsafeUrlWithAProblem(String path) throws IOException {
		Answer answer = send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n");
		assertRejected(answer);
	}

	@Test
	void refusesAControlCharacterInAHeaderTheHandlerReadsWithAProblemNotA500(CapturedOutput output) throws IOException {
		Answer answer = send("GET /api/products/" + this.id + " HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: \"a"
				+ CONTROL + "b\"\r\n");
		assertRejected(answer);
		assertThat(output.getOut()).doesNotContain("Unexpected error");
	}

	@Test
	void refusesAControlCharacterInAHeaderTheSecurityChainReadsWithAProblem() throws IOException {
		Answer answer = send("GET /api/products HTTP/1.1\r\nHost: localhost\r\nOrigin: https://a" + CONTROL + "b\r\n");
		assertRejected(answer);
	}

	@Test
	void refusesAControlCharacterInTheCredentialsWithAProblem() throws IOException {
		Answer answer = send("PATCH /api/products/" + this.id + "/wishlist HTTP/1.1\r\nHost: localhost\r\n"
				+ "Authorization: Basic " + CONTROL + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n",
				"{}");
		assertRejected(answer);
		this.client.get()
			.uri("/api/products/{id}", this.id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.wishlisted")
			.isEqualTo(false);
	}

	@Test
	void stillServesTheSameRequestWithoutTheRefusedValue() throws IOException {
		Answer answer = send(
				"GET /api/products/" + this.id + " HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: \"ab\"\r\n");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).contains("Firewalled lamp");
	}

	private static void assertRejected(Answer answer) {
		assertThat(answer.status()).as(answer.text()).isEqualTo(400);
		assertThat(answer.head()).containsIgnoringCase("Content-Type: application/problem+json");
		assertThat(answer.body()).contains("\"status\":400")
			.contains("\"type\":\"https://productstore.example/problems/bad-request\"")
			.contains("The request was rejected")
			// As every problem's, the instance is the request's path; nothing else of the
			// request is echoed.
			.doesNotContain(CONTROL);
	}

	private Answer send(String head) throws IOException {
		return send(head, "");
	}

	private Answer send(String head, String body) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write((head + "Connection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			return new Answer(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
		}
	}

	/**
	 * A whole HTTP/1.1 answer, as read until the server closed the connection.
	 *
	 * @param text the status line, headers and body
	 */
	record Answer(String text) {

		int status() {
			return Integer.parseInt(this.text.substring(9, 12));
		}

		String head() {
			int end = this.text.indexOf("\r\n\r\n");
			return (end < 0) ? this.text : this.text.substring(0, end);
		}

		String body() {
			int end = this.text.indexOf("\r\n\r\n");
			return (end < 0) ? "" : this.text.substring(end + 4);
		}

	}

}
