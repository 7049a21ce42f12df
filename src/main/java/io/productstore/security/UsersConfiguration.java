package io.productstore.security;

import java.util.ArrayList;
import java.util.List;

import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.util.StringUtils;

/**
 * The callers from {@link AppSecurityProperties}, with passwords in any
 * {@code {id}}-prefixed encoding; refuses to start without an {@code ADMIN}. Their HTTP
 * Basic credentials are verified in full once per
 * {@code app.security.credentials-cache.ttl} ({@link RememberingAuthenticationManager}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AppSecurityProperties.class)
class UsersConfiguration {

	static final List<String> ROLES = List.of("USER", "EDITOR", "ADMIN", "METRICS");

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	ReactiveAuthenticationManager authenticationManager(MapReactiveUserDetailsService users, PasswordEncoder encoder,
			AppSecurityProperties properties) {
		AppSecurityProperties.CredentialsCache cache = properties.credentialsCache();
		VerifiedCredentials verified = new VerifiedCredentials(cache.ttl(), cache.maximumSize(), Ticker.systemTicker());
		UserDetailsRepositoryReactiveAuthenticationManager verifying = new UserDetailsRepositoryReactiveAuthenticationManager(
				users);
		verifying.setPasswordEncoder(encoder);
		// A password re-encoded on login ({noop} to bcrypt, a higher cost) is a change of
		// the users: nothing verified before it is trusted.
		verifying.setUserDetailsPasswordService(
				(user, password) -> users.updatePassword(user, password).doOnNext((updated) -> verified.forgetAll()));
		return new RememberingAuthenticationManager(users, verifying, verified);
	}

	@Bean
	MapReactiveUserDetailsService userDetailsService(AppSecurityProperties properties) {
		List<UserDetails> users = new ArrayList<>();
		for (AppSecurityProperties.User user : properties.users()) {
			users.add(toUserDetails(user));
		}
		if (users.stream()
			.noneMatch((user) -> user.getAuthorities()
				.stream()
				.anyMatch((authority) -> "ROLE_ADMIN".equals(authority.getAuthority())))) {
			throw new IllegalStateException("No user with role ADMIN is configured: set app.security.users[N].name, "
					+ ".password and .roles (for example APP_SECURITY_USERS_0_NAME, APP_SECURITY_USERS_0_PASSWORD="
					+ "{bcrypt}..., APP_SECURITY_USERS_0_ROLES=ADMIN)");
		}
		return new MapReactiveUserDetailsService(users);
	}

	private static UserDetails toUserDetails(AppSecurityProperties.User user) {
		if (!StringUtils.hasText(user.name())) {
			throw new IllegalStateException("app.security.users: every user needs a name");
		}
		if (user.password() == null || !user.password().matches("^\\{[^}]+}.+")) {
			throw new IllegalStateException("app.security.users: the password of '" + user.name()
					+ "' must be prefixed by its encoding, such as {bcrypt}$2a$10$... or {noop}secret");
		}
		for (String role : user.roles()) {
			if (!ROLES.contains(role)) {
				throw new IllegalStateException(
						"app.security.users: unknown role '" + role + "' of '" + user.name() + "', use " + ROLES);
			}
		}
		return User.withUsername(user.name())
			.password(user.password())
			.roles(user.roles().toArray(String[]::new))
			.build();
	}

}
