package io.productstore.ratelimit;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ClientKeyResolver}.
 */
class ClientKeyResolverTests {

	private final ClientKeyResolver resolver = new ClientKeyResolver(
			new TrustedProxies(List.of("10.0.0.1", "192.168.0.0/16", "fd00::/8")));

	@Test
	void ignoresForwardedForFromAnUntrustedPeer() {
		assertThat(clientIp("198.51.100.9", "203.0.113.7")).isEqualTo("198.51.100.9");
	}

	@Test
	void honoursForwardedForFromATrustedPeer() {
		assertThat(clientIp("10.0.0.1", "203.0.113.7")).isEqualTo("203.0.113.7");
	}

	@Test
	void takesTheRightMostUntrustedAddressSoAClientCannotForgeItsOwn() {
		assertThat(clientIp("10.0.0.1", "1.1.1.1, 203.0.113.7, 192.168.4.2")).isEqualTo("203.0.113.7");
	}

	@Test
	void readsEveryForwardedForHeaderInOrder() {
		MockServerHttpRequest request = MockServerHttpRequest.get("/api/products")
			.remoteAddress(new InetSocketAddress("10.0.0.1", 4711))
			.header(ClientKeyResolver.FORWARDED_FOR, "203.0.113.7")
			.header(ClientKeyResolver.FORWARDED_FOR, "192.168.0.3")
			.build();
		assertThat(this.resolver.clientIp(request)).isEqualTo("203.0.113.7");
	}

	@Test
	void stopsAtAHopThatIsNoAddressAndNeverLooksANameUp() {
		assertThat(clientIp("10.0.0.1", "203.0.113.7, example.com, 192.168.4.2")).isEqualTo("192.168.4.2");
		assertThat(clientIp("10.0.0.1", "not-an-ip")).isEqualTo("10.0.0.1");
		assertThat(TrustedProxies.parseLiteral("localhost")).isEmpty();
		assertThat(TrustedProxies.parseLiteral("1.2.3")).isEmpty();
		assertThat(TrustedProxies.parseLiteral("203.0.113.7:443")).isEmpty();
	}

	@Test
	void usesThePeerWhenEveryHopIsATrustedProxy() {
		assertThat(clientIp("10.0.0.1", "192.168.1.1, 192.168.1.2")).isEqualTo("192.168.1.1");
		assertThat(clientIp("10.0.0.1", null)).isEqualTo("10.0.0.1");
	}

	@Test
	void matchesIpv6Ranges() {
		assertThat(clientIp("fd12::1", "[2001:db8::1]")).isEqualTo("2001:db8:0:0:0:0:0:1");
		assertThat(clientIp("2001:db8::2", "203.0.113.7")).isEqualTo("2001:db8:0:0:0:0:0:2");
	}

	@Test
	void refusesATrustedProxyThatIsNoAddress() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TrustedProxies(List.of("proxy.internal")));
		assertThatIllegalArgumentException().isThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33")));
	}

	@Test
	void countsAnAnonymousRequestAgainstTheClientIp() {
		this.resolver.resolve(exchange("198.51.100.9", null))
			.as(StepVerifier::create)
			.expectNext(new ClientKey(ClientKey.Tier.ANONYMOUS, "198.51.100.9"))
			.verifyComplete();
		this.resolver.resolve(exchange("198.51.100.9", null))
			.contextWrite(ReactiveSecurityContextHolder.withAuthentication(new AnonymousAuthenticationToken("key",
					"anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"))))
			.as(StepVerifier::create)
			.expectNext(new ClientKey(ClientKey.Tier.ANONYMOUS, "198.51.100.9"))
			.verifyComplete();
	}

	@Test
	void countsAnAuthenticatedRequestAgainstTheUserWithItsHighestRole() {
		UsernamePasswordAuthenticationToken editor = UsernamePasswordAuthenticationToken.authenticated("ed", null,
				AuthorityUtils.createAuthorityList("ROLE_USER", "ROLE_EDITOR"));
		this.resolver.resolve(exchange("198.51.100.9", null))
			.contextWrite(ReactiveSecurityContextHolder.withAuthentication(editor))
			.as(StepVerifier::create)
			.expectNext(new ClientKey(ClientKey.Tier.EDITOR, "ed"))
			.verifyComplete();
	}

	@Test
	void keepsEachBucketInOneKeyUnderTheNamespace() {
		assertThat(new ClientKey(ClientKey.Tier.ANONYMOUS, "203.0.113.7").redisKey("productstore:"))
			.isEqualTo("productstore:ratelimit:anonymous:203.0.113.7");
	}

	private String clientIp(String peer, String forwardedFor) {
		return this.resolver.clientIp(exchange(peer, forwardedFor).getRequest());
	}

	private static MockServerWebExchange exchange(String peer, String forwardedFor) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/products")
			.remoteAddress(new InetSocketAddress(peer, 4711));
		if (forwardedFor != null) {
			request.header(ClientKeyResolver.FORWARDED_FOR, forwardedFor);
		}
		return MockServerWebExchange.from(request);
	}

}
