package io.productstore.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The callers of the API ({@code app.security.users[N]}); at least one must have role
 * {@code ADMIN}, and production supplies them through environment variables.
 *
 * @param users the configured callers
 * @param credentialsCache how long a successful password verification is remembered
 */
@ConfigurationProperties("app.security")
record AppSecurityProperties(@DefaultValue List<User> users, @DefaultValue CredentialsCache credentialsCache) {

	/**
	 * One caller.
	 *
	 * @param name the user name
	 * @param password the password, prefixed by its encoding: {@code {bcrypt}$2a$...} or
	 * {@code {noop}secret}
	 * @param roles the roles: {@code USER}, {@code EDITOR}, {@code ADMIN} and/or
	 * {@code METRICS} (reads {@code /actuator/prometheus} and nothing else)
	 */
	record User(String name, String password, @DefaultValue("USER") List<String> roles) {

	}

	/**
	 * Successful HTTP Basic verifications remembered, so that a client sending its
	 * password with every request costs one bcrypt verification per {@code ttl}, not one
	 * per request (see {@code VerifiedCredentials}).
	 *
	 * @param ttl how long after a verification the same credentials are accepted without
	 * another; {@code 0s} verifies every request
	 * @param maximumSize the most credentials remembered
	 */
	record CredentialsCache(@DefaultValue("1m") Duration ttl, @DefaultValue("1000") long maximumSize) {

	}

}
