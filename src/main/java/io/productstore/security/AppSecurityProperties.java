package io.productstore.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The callers of the API ({@code app.security.users[N]}); at least one must have role
 * {@code ADMIN}, and production supplies them through environment variables.
 *
 * @param users the configured callers
 */
@ConfigurationProperties("app.security")
record AppSecurityProperties(@DefaultValue List<User> users) {

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

}
