package io.productstore.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} child process on a loopback port, with handles for fault
 * injection (stop, continue, kill, restart on the same port with the same data).
 * <p>
 * The binary is {@code redis-server} on the PATH when there is one, else the Linux build
 * shipped inside the embedded-redis jar.
 */
public final class RedisServerProcess implements AutoCloseable {

	private static final String BUNDLED_BINARY = "/redis-server-6.2.6-v5-linux-amd64";

	private final int port;

	private final Path workDirectory;

	private final List<String> extraArguments;

	private Process process;

	private RedisServerProcess(int port, Path workDirectory, List<String> extraArguments) {
		this.port = port;
		this.workDirectory = workDirectory;
		this.extraArguments = extraArguments;
	}

	/**
	 * Starts a server on a free port with append-only persistence in a fresh directory.
	 * @param extraArguments further {@code redis-server} arguments, e.g.
	 * {@code "--cluster-enabled", "yes"}
	 * @return the running server
	 */
	public static RedisServerProcess start(String... extraArguments) {
		try {
			RedisServerProcess server = new RedisServerProcess(freePort(), Files.createTempDirectory("redis-test"),
					List.of(extraArguments));
			server.launch();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	public String host() {
		return "127.0.0.1";
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	/** Freezes the server (SIGSTOP): connections stay open but nothing answers. */
	public void pause() {
		signal("STOP");
	}

	/** Resumes a paused server (SIGCONT). */
	public void resume() {
		signal("CONT");
	}

	/** Kills the server without letting it save (SIGKILL). */
	public void kill() {
		signal("KILL");
		waitForExit();
	}

	/** Starts the server again on the same port, reloading its append-only file. */
	public void restart() {
		if (isAlive()) {
			kill();
		}
		launch();
	}

	@Override
	public void close() {
		if (this.process != null) {
			this.process.destroyForcibly();
			waitForExit();
		}
	}

	private void launch() {
		List<String> command = new ArrayList<>(
				List.of(binary().toString(), "--port", String.valueOf(this.port), "--bind", "127.0.0.1", "--save", "",
						"--appendonly", "yes", "--dir", this.workDirectory.toString(), "--protected-mode", "no"));
		command.addAll(this.extraArguments);
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.workDirectory.resolve("redis.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		awaitAcceptingConnections();
	}

	private void awaitAcceptingConnections() {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket("127.0.0.1", this.port)) {
				return;
			}
			catch (IOException notYet) {
				if (!this.process.isAlive()) {
					break;
				}
				onSpinWait(20);
			}
		}
		throw new IllegalStateException(
				"redis-server did not start on port " + this.port + ", see " + this.workDirectory.resolve("redis.log"));
	}

	private void signal(String name) {
		try {
			new ProcessBuilder("kill", "-" + name, String.valueOf(pid())).inheritIO().start().waitFor();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void waitForExit() {
		try {
			this.process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void onSpinWait(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Where the binary is found: on the PATH, else extracted once from the jar. */
	static synchronized Path binary() {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			Path candidate = Path.of(dir, "redis-server");
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		Path extracted = Path.of(System.getProperty("java.io.tmpdir"), "productstore-redis-server-6.2.6");
		if (!Files.isExecutable(extracted)) {
			try (InputStream in = RedisServerProcess.class.getResourceAsStream(BUNDLED_BINARY)) {
				if (in == null) {
					throw new IllegalStateException("No redis-server on PATH and none bundled for this platform");
				}
				Path partial = Files.createTempFile("redis-server", ".partial");
				Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
				partial.toFile().setExecutable(true);
				Files.move(partial, extracted, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return extracted;
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
