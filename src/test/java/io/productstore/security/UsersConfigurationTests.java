package io.productstore.security;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UsersConfiguration}.
 */
class UsersConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(UsersConfiguration.class);

	@Test
	void refusesToStartWithoutAnAdmin() {
		this.runner
			.withPropertyValues("app.security.users[0].name=editor", "app.security.users[0].password={noop}editor",
					"app.security.users[0].roles=EDITOR")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("No user with role ADMIN is configured"));
	}

	@Test
	void refusesToStartWithoutAnyUser() {
		this.runner.run((context) -> assertThat(context).getFailure()
			.rootCause()
			.hasMessageContaining("No user with role ADMIN is configured"));
	}

	@Test
	void refusesAPasswordWithoutItsEncoding() {
		this.runner
			.withPropertyValues("app.security.users[0].name=admin", "app.security.users[0].password=admin",
					"app.security.users[0].roles=ADMIN")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("{bcrypt}"));
	}

	@Test
	void acceptsBcryptAndNoopPasswords() {
		this.runner.withPropertyValues("app.security.users[0].name=admin",
				"app.security.users[0].password={bcrypt}$2a$10$oQpdsp3engvqVEpXM0D54.rGdY8XnL6nwV9bJIhjAD.mCOjvJ6ROy",
				"app.security.users[0].roles=ADMIN,EDITOR", "app.security.users[1].name=user",
				"app.security.users[1].password={noop}secret")
			.run((context) -> {
				PasswordEncoder encoder = context.getBean(PasswordEncoder.class);
				MapReactiveUserDetailsService users = context.getBean(MapReactiveUserDetailsService.class);
				users.findByUsername("admin")
					.map(UserDetails::getPassword)
					.as(StepVerifier::create)
					.assertNext((hash) -> assertThat(encoder.matches("admin", hash)).isTrue())
					.verifyComplete();
				users.findByUsername("user").as(StepVerifier::create).assertNext((user) -> {
					assertThat(encoder.matches("secret", user.getPassword())).isTrue();
					assertThat(user.getAuthorities()).extracting("authority").containsExactly("ROLE_USER");
				}).verifyComplete();
			});
	}

}
