package io.productstore.support;

import java.time.Duration;

import io.productstore.ProductStoreApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One more instance of the service in the test's JVM, on a free port and the test
 * profile, for tests about several instances, restarts or other servers: started with the
 * given configuration classes (such as {@link RealServersConfiguration}) and arguments,
 * closed with the test.
 */
public final class Instance implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private Instance(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Starts an instance.
	 * @param servers configuration classes pointing it at its servers
	 * @param arguments command line properties, {@code --key=value}
	 * @return the running instance
	 */
	public static Instance start(Class<?>[] servers, String... arguments) {
		Class<?>[] sources = new Class<?>[servers.length + 1];
		sources[0] = ProductStoreApplication.class;
		System.arraycopy(servers, 0, sources, 1, servers.length);
		String[] commandLine = new String[arguments.length + 1];
		commandLine[0] = "--server.port=0";
		System.arraycopy(arguments, 0, commandLine, 1, arguments.length);
		return new Instance(new SpringApplicationBuilder(sources).profiles("test").run(commandLine));
	}

	/**
	 * Starts an instance on the suite's real servers.
	 * @param arguments command line properties, {@code --key=value}
	 * @return the running instance
	 */
	public static Instance onRealServers(String... arguments) {
		return start(new Class<?>[] { RealServersConfiguration.class }, arguments);
	}

	/** A client of its HTTP API. */
	public ProductApi api() {
		return new ProductApi(WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.context.getEnvironment().getProperty("local.server.port"))
			.responseTimeout(Duration.ofSeconds(30))
			.build());
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	@Override
	public void close() {
		this.context.close();
	}

}
