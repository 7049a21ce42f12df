package io.productstore.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RememberingAuthenticationManager} and {@link VerifiedCredentials}:
 * real bcrypt hashes (cost 4, to keep the suite fast), a counting encoder, a fake clock.
 */
class RememberingAuthenticationManagerTests {

	private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);

	private final AtomicInteger verifications = new AtomicInteger();

	private final AtomicLong nanos = new AtomicLong();

	// When set, every verification waits for it (on the verifying manager's scheduler):
	// a verification held between its start and its outcome.
	private volatile CountDownLatch hold;

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
				awaitRelease();
				return RememberingAuthenticationManagerTests.this.bcrypt.matches(rawPassword, encodedPassword);
			}

		};
		UserDetailsRepositoryReactiveAuthenticationManager verifying = new UserDetailsRepositoryReactiveAuthenticationManager(
				this.users);
		verifying.setPasswordEncoder(counting);
		return new RememberingAuthenticationManager(this.users, verifying, this.verified);
	}

	@Test
	void concurrentRequestsWithTheSameCredentialsShareOneVerification() throws Exception {
		this.hold = new CountDownLatch(1);
		// Each subscription decides at once whether it joins: all eight are in before the
		// first verification can end.
		List<CompletableFuture<Authentication>> requests = authenticateConcurrently(8, "editor", "editor");
		CompletableFuture<Authentication> otherUser = this.manager.authenticate(token("user", "user")).toFuture();
		assertThat(this.manager.running()).isEqualTo(2);
		this.hold.countDown();
		assertThat(requests)
			.allSatisfy((request) -> assertThat(request.get(10, TimeUnit.SECONDS).getName()).isEqualTo("editor"));
		assertThat(otherUser.get(10, TimeUnit.SECONDS).getName()).isEqualTo("user");
		assertThat(this.verifications).hasValue(2);
		// Removed just after the outcome is delivered, on the verifying thread.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.manager.running() == 0);
		// And the outcome was remembered.
		expectAuthenticated("editor", "editor", "ROLE_EDITOR");
		assertThat(this.verifications).hasValue(2);
	}

	@Test
	void concurrentRequestsWithTheSameWrongPasswordAllFailOnOneVerification() throws Exception {
		this.hold = new CountDownLatch(1);
		List<CompletableFuture<Authentication>> requests = authenticateConcurrently(4, "editor", "wrong");
		// Another password is other credentials, never joined to these.
		CompletableFuture<Authentication> right = this.manager.authenticate(token("editor", "editor")).toFuture();
		this.hold.countDown();
		assertThat(requests).allSatisfy((request) -> assertThatThrownBy(() -> request.get(10, TimeUnit.SECONDS))
			.hasCauseInstanceOf(BadCredentialsException.class));
		assertThat(right.get(10, TimeUnit.SECONDS).getName()).isEqualTo("editor");
		assertThat(this.verifications).hasValue(2);
		// Removed just after the outcome is delivered, on the verifying thread.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.manager.running() == 0);
		expectRefused("editor", "wrong");
		assertThat(this.verifications).hasValue(3);
	}

	@Test
	void aRequestThatLeavesDoesNotCancelTheVerificationOfThoseThatJoinedIt() throws Exception {
		this.hold = new CountDownLatch(1);
		Disposable leaving = this.manager.authenticate(token("editor", "editor")).subscribe();
		CompletableFuture<Authentication> staying = this.manager.authenticate(token("editor", "editor")).toFuture();
		leaving.dispose();
		this.hold.countDown();
		assertThat(staying.get(10, TimeUnit.SECONDS).getName()).isEqualTo("editor");
		assertThat(this.verifications).hasValue(1);
	}

	// Subscribed one after another, each still in flight while the verification is held.
	private List<CompletableFuture<Authentication>> authenticateConcurrently(int requests, String name,
			String password) {
		List<CompletableFuture<Authentication>> running = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			running.add(this.manager.authenticate(token(name, password)).toFuture());
		}
		return running;
	}

	private void awaitRelease() {
		CountDownLatch latch = this.hold;
		try {
			if (latch != null && !latch.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("The test never released the verification");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
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
