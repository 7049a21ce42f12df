package io.productstore.ratelimit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tells whom a request is counted against: the authenticated user (from the reactive
 * {@link SecurityContext}, so it runs after Spring Security), else the client IP, taken
 * from {@code X-Forwarded-For} only when the direct peer is a trusted proxy.
 */
class ClientKeyResolver {

	static final String FORWARDED_FOR = "X-Forwarded-For";

	private final TrustedProxies trustedProxies;

	ClientKeyResolver(TrustedProxies trustedProxies) {
		this.trustedProxies = trustedProxies;
	}

	Mono<ClientKey> resolve(ServerWebExchange exchange) {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull((context) -> user(context.getAuthentication()))
			.switchIfEmpty(
					Mono.fromSupplier(() -> new ClientKey(ClientKey.Tier.ANONYMOUS, clientIp(exchange.getRequest()))));
	}

	/**
	 * The client's IP: the direct peer, or, when the peer is a trusted proxy, the
	 * right-most address of {@code X-Forwarded-For} that is not a trusted proxy itself
	 * (addresses to its left were written by the client and prove nothing).
	 * @param request the request
	 * @return the IP address as text
	 */
	String clientIp(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		if (remote == null) {
			return "unknown";
		}
		if (remote.getAddress() == null) {
			return remote.getHostString();
		}
		InetAddress client = remote.getAddress();
		if (!this.trustedProxies.contains(client)) {
			return client.getHostAddress();
		}
		List<String> hops = forwardedFor(request);
		for (int i = hops.size() - 1; i >= 0; i--) {
			Optional<InetAddress> hop = TrustedProxies.parseLiteral(hops.get(i));
			if (hop.isEmpty()) {
				// A hop that is no address: the last trustworthy one is the client.
				break;
			}
			client = hop.get();
			if (!this.trustedProxies.contains(client)) {
				break;
			}
		}
		return client.getHostAddress();
	}

	private static List<String> forwardedFor(ServerHttpRequest request) {
		List<String> hops = new ArrayList<>();
		for (String header : request.getHeaders().getOrEmpty(FORWARDED_FOR)) {
			for (String hop : header.split(",")) {
				hops.add(hop.trim());
			}
		}
		return hops;
	}

	// The authenticated user's key, or null for an anonymous caller.
	private static @Nullable ClientKey user(@Nullable Authentication authentication) {
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return null;
		}
		return new ClientKey(tier(authentication.getAuthorities()), authentication.getName());
	}

	private static ClientKey.Tier tier(Collection<? extends GrantedAuthority> authorities) {
		ClientKey.Tier tier = ClientKey.Tier.USER;
		for (GrantedAuthority authority : authorities) {
			ClientKey.Tier granted = switch (String.valueOf(authority.getAuthority())) {
				case "ROLE_ADMIN" -> ClientKey.Tier.ADMIN;
				case "ROLE_EDITOR" -> ClientKey.Tier.EDITOR;
				default -> ClientKey.Tier.USER;
			};
			if (granted.compareTo(tier) > 0) {
				tier = granted;
			}
		}
		return tier;
	}

}
