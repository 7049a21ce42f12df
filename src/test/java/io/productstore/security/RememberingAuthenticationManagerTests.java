package io.productstore.security;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RememberingAuthenticationManager} and {@link VerifiedCredentials}:
 * real bcrypt hashes (cost 4, to keep the suite fast), a counting encoder, a fake clock.
 */
class RememberingAuthenticationManagerTests {

	private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);

	private final AtomicInteger verifications = new AtomicInteger();

	private final AtomicLong nanos = new AtomicLong();

	private final MapReactiveUserDetailsService users = new MapReactiveUserDetailsService(
			User.withUsername("editor").password(this.bcrypt.encode("editor")).roles("EDITOR").build(),
			User.withUsername("user").password(this.bcrypt.encode("user")).roles("USER").build());

	private final VerifiedCredentials verified = new VerifiedCredentials(Duration.ofMinutes(1), 2,
			(Ticker) this.nanos::get);

	private final RememberingAuthenticationManager manager = manager();

	@Test
	void verifiesAPasswordOnceAndThenAcceptsItFromTheCache() {
		for (int i = 0; i < 5; i++) {
			expectAuthenticated("editor", "editor", "ROLE_EDITOR");
		}
		assertThat(this.verifications).hasValue(1);
	}

	@Test
	void neverAcceptsAWrongPasswordFromTheCache() {
		expectAuthenticated("editor", "editor", "ROLE_EDITOR");
		for (String wrong : new String[] { "Editor", "editor ", "", "user" }) {
			expectRefused("editor", wrong);
		}
		// Every wrong password was verified in full, and none was remembered.
		assertThat(this.verifications).hasValue(5);
		expectRefused("editor", "Editor");
		assertThat(this.verifications).hasValue(6);
	}

	@Test
	void verifiesAgainWhenTheUsersPasswordChanged() {
		expectAuthenticated("editor", "editor", "ROLE_EDITOR");
		changePassword("editor", "changed");
		expectRefused("editor", "editor");
		expectAuthenticated("editor", "changed", "ROLE_EDITOR");
		assertThat(this.verifications).hasValue(3);
	}

	@Test
	void forgetsEverythingWhenTheUsersChange() {
		expectAuthenticated("editor", "editor", "ROLE_EDITOR");
		this.verified.forgetAll();
		expectAuthenticated("editor", "editor", "ROLE_EDITOR");
		assertThat(this.verifications).hasValue(2);
	}

	@Test
	void verifiesAgainOnceTheVerificationExpired() {
		expectAuthenticated("editor", "editor", "ROLE_EDITOR");
		this.nanos.addAndGet(Duration.ofSeconds(59).toNanos());
		expectAuthenticated("editor", "editor", "ROLE_EDITOR");
		assertThat(this.verifications).hasValue(1);
		this.nanos.addAndGet(Duration.ofSeconds(2).toNanos());
		expectAuthenticated("editor", "editor", "ROLE_EDITOR");
		assertThat(this.verifications).hasValue(2);
	}

	@Test
	void remembersAtMostTheMaximumNumberOfCredentials() {
		expectAuthenticated("editor", "editor", "ROLE_EDITOR");
		expectAuthenticated("user", "user", "ROLE_USER");
		changePassword("user", "second");
		expectAuthenticated("user", "second", "ROLE_USER");
		assertThat(this.verified.size()).isEqualTo(2);
	}

	@Test
	void refusesAnUnknownUserWithoutRememberingAnything() {
		this.manager.authenticate(token("nobody", "nobody"))
			.as(StepVerifier::create)
			.expectError(BadCredentialsException.class)
			.verify();
		assertThat(this.verified.size()).isZero();
	}

	@Test
	void keepsNeitherThePasswordNorItsHashAsAKey() {
		VerifiedCredentials other = new VerifiedCredentials(Duration.ofMinutes(1), 10, Ticker.systemTicker());
		other.remember("editor", "editor", "{bcrypt}hash");
		// Another process draws another key: what one remembers means nothing to the
		// other, and nothing derived from the password alone can be looked up.
		assertThat(this.verified.remembers("editor", "editor", "{bcrypt}hash")).isFalse();
		assertThat(other.remembers("editor", "editor", "{bcrypt}hash")).isTrue();
		assertThat(other.remembers("editor", "editor", "{bcrypt}other")).isFalse();
		assertThat(other.remembers("edito", "reditor", "{bcrypt}hash")).isFalse();
	}

	private RememberingAuthenticationManager manager() {
		PasswordEncoder counting = new PasswordEncoder() {

			@Override
			public String encode(CharSequence rawPassword) {
				return RememberingAuthenticationManagerTests.this.bcrypt.encode(rawPassword);
			}

			@Override
			public boolean matches(CharSequence rawPassword, String encodedPassword) {
				RememberingAuthenticationManagerTests.this.verifications.incrementAndGet();
				return RememberingAuthenticationManagerTests.this.bcrypt.matches(rawPassword, encodedPassword);
			}

		};
		UserDetailsRepositoryReactiveAuthenticationManager verifying = new UserDetailsRepositoryReactiveAuthenticationManager(
				this.users);
		verifying.setPasswordEncoder(counting);
		return new RememberingAuthenticationManager(this.users, verifying, this.verified);
	}

	private void changePassword(String name, String password) {
		this.users.findByUsername(name)
			.flatMap((user) -> this.users.updatePassword(user, this.bcrypt.encode(password)))
			.as(StepVerifier::create)
			.expectNextCount(1)
			.verifyComplete();
	}

	private void expectAuthenticated(String name, String password, String role) {
		this.manager.authenticate(token(name, password)).as(StepVerifier::create).assertNext((authentication) -> {
			assertThat(authentication.isAuthenticated()).isTrue();
			assertThat(authentication.getName()).isEqualTo(name);
			assertThat(authentication.getAuthorities()).extracting(Object::toString).containsExactly(role);
		}).verifyComplete();
	}

	private void expectRefused(String name, String password) {
		this.manager.authenticate(token(name, password))
			.as(StepVerifier::create)
			.expectError(BadCredentialsException.class)
			.verify();
	}

	private static Authentication token(String name, String password) {
		return UsernamePasswordAuthenticationToken.unauthenticated(name, password);
	}

}
