package io.productstore.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import reactor.core.publisher.Mono;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * Authenticates HTTP Basic credentials with one full password verification (bcrypt at
 * cost 10 takes about 100 ms of CPU) per client and {@link VerifiedCredentials} time to
 * live, instead of one per request: credentials verified a short while ago against the
 * user's current password hash are accepted from {@link VerifiedCredentials}; everything
 * else (unknown, wrong, changed, expired) goes through the full verification, which
 * remembers a success.
 * <p>
 * Concurrent requests with the same credentials share one verification: a client's
 * parallel requests (a frontend's, or 64 connections of a load test) find their
 * remembered verification expired at the same moment, and each running bcrypt of its own
 * was a burst of seconds of CPU that stalled every request of the instance.
 */
final class RememberingAuthenticationManager implements ReactiveAuthenticationManager {

	private final ReactiveUserDetailsService users;

	private final ReactiveAuthenticationManager verifying;

	private final VerifiedCredentials verified;

	// The verifications running now; an entry is removed when its verification ends.
	private final ConcurrentMap<VerifiedCredentials.Key, Mono<Authentication>> running = new ConcurrentHashMap<>();

	RememberingAuthenticationManager(ReactiveUserDetailsService users, ReactiveAuthenticationManager verifying,
			VerifiedCredentials verified) {
		this.users = users;
		this.verifying = verifying;
		this.verified = verified;
	}

	@Override
	public Mono<Authentication> authenticate(Authentication authentication) {
		if (!(authentication instanceof UsernamePasswordAuthenticationToken)
				|| !(authentication.getCredentials() instanceof String password)) {
			return this.verifying.authenticate(authentication);
		}
		String name = authentication.getName();
		return this.users.findByUsername(name).flatMap((user) -> {
			// One HMAC per request: the key both looks up and, if need be, verifies.
			VerifiedCredentials.Key key = this.verified.key(name, password, user.getPassword());
			if (usable(user) && this.verified.remembers(key)) {
				return Mono.just(authenticated(user));
			}
			return verify(authentication, key);
		}).switchIfEmpty(Mono.defer(() -> this.verifying.authenticate(authentication)));
	}

	private Mono<Authentication> verify(Authentication authentication, VerifiedCredentials.Key key) {
		// cache(): every request that joined gets the one outcome, and a request that
		// leaves (its client disconnected) does not cancel it for the others.
		return this.running.computeIfAbsent(key,
				(credentials) -> this.verifying.authenticate(authentication)
					.doOnNext((accepted) -> this.verified.remember(credentials))
					.doFinally((signal) -> this.running.remove(credentials))
					.cache());
	}

	/** How many verifications are running now (for tests). */
	int running() {
		return this.running.size();
	}

	private static boolean usable(UserDetails user) {
		return user.isEnabled() && user.isAccountNonLocked() && user.isAccountNonExpired()
				&& user.isCredentialsNonExpired();
	}

	private static Authentication authenticated(UserDetails user) {
		return UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities());
	}

}
