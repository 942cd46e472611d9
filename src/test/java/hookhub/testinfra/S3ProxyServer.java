package hookhub.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * S3Proxy 4.1.0 as a child process (testinfra.md section 1). Never loaded as a library: its classpath (own AWS SDK,
 * Jetty 12, logback) would fight Camel's. The jar comes from system property {@code s3proxy.jar}, else
 * {@code target/s3proxy/s3proxy.jar} (copied there by maven-dependency-plugin, see the pom snippet).
 *
 * <p>{@link #stop()} then {@link #start()} reuses the same port, which is how tests simulate an S3 outage.
 * {@link Mode#TRANSIENT} keeps objects in memory (lost on restart); {@link Mode#FILESYSTEM} keeps them as plain files
 * under {@link #basedir()} across restarts (needs user xattrs on that file system; ext4 has them).
 */
public final class S3ProxyServer implements AutoCloseable {

    public enum Mode { TRANSIENT, FILESYSTEM }

    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";
    public static final String REGION = "us-east-1";

    private final Mode mode;
    private final Path workDir;
    private final Path basedir;
    private final Path jar;
    private final Duration startTimeout;
    private int port;
    private volatile Process process;

    /** Temp work dir, ephemeral port chosen at first start, 60 s start timeout. */
    public S3ProxyServer(Mode mode) {
        this(mode, 0, null, Duration.ofSeconds(60));
    }

    /**
     * @param port    0 = pick a free loopback port at first start (then kept for restarts)
     * @param basedir FILESYSTEM storage directory (created if missing); null = under the temp work dir
     */
    public S3ProxyServer(Mode mode, int port, Path basedir, Duration startTimeout) {
        this.mode = mode;
        this.port = port;
        this.startTimeout = startTimeout;
        this.jar = locateJar();
        try {
            this.workDir = Files.createTempDirectory("s3proxy-");
            this.basedir = basedir != null ? basedir : workDir.resolve("data");
            if (mode == Mode.FILESYSTEM) Files.createDirectories(this.basedir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A crashed test JVM must not leave an S3Proxy behind holding the port.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process p = process;
            if (p != null) p.destroyForcibly();
        }));
    }

    static Path locateJar() {
        String prop = System.getProperty("s3proxy.jar");
        Path p = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("target", "s3proxy", "s3proxy.jar");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("S3Proxy jar not found at " + p.toAbsolutePath()
                    + ": run the build (maven-dependency-plugin copies org.gaul:s3proxy:4.1.0:jar-with-dependencies "
                    + "there) or set -Ds3proxy.jar=<path>");
        }
        return p.toAbsolutePath();
    }

    /** Starts the child and blocks until it answers HTTP on / (any status). */
    public synchronized S3ProxyServer start() {
        if (process != null && process.isAlive()) throw new IllegalStateException("already running on " + endpoint());
        try {
            if (port == 0) port = freePort();
            Path conf = workDir.resolve("s3proxy.conf");
            String props = "s3proxy.authorization=aws-v2-or-v4\n"
                    + "s3proxy.identity=" + ACCESS_KEY + "\n"
                    + "s3proxy.credential=" + SECRET_KEY + "\n"
                    // the host here is also the bind address: loopback only
                    + "s3proxy.endpoint=" + endpoint() + "\n"
                    + (mode == Mode.TRANSIENT
                        ? "jclouds.provider=transient-nio2\n"
                        : "jclouds.provider=filesystem-nio2\njclouds.filesystem.basedir=" + basedir.toAbsolutePath() + "\n");
            Files.writeString(conf, props, StandardCharsets.UTF_8);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            process = new ProcessBuilder(List.of(java.toString(), "-jar", jar.toString(), "--properties", conf.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
        return this;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + "; log: " + logTail());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) new URL(endpoint() + "/").openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                c.getResponseCode(); // with auth on, GET / answers 403: still "ready"
                c.disconnect();
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        stop();
        throw new IllegalStateException("S3Proxy not ready within " + startTimeout + "; log: " + logTail());
    }

    /** Destroys the child and waits for it to exit (the port is free afterwards). */
    public synchronized void stop() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Stops the child and deletes the temp work dir (a caller-supplied basedir is kept). */
    @Override
    public void close() {
        stop();
        try (var paths = Files.walk(workDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temp dir
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    /** http://127.0.0.1:port (127.0.0.1, not localhost: some clients try ::1 first). */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public URI endpointUri() {
        return URI.create(endpoint());
    }

    public Mode mode() {
        return mode;
    }

    public Path basedir() {
        return basedir;
    }

    public Path logFile() {
        return workDir.resolve("s3proxy.log");
    }

    private String logTail() {
        try {
            String log = Files.readString(logFile(), StandardCharsets.UTF_8);
            return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
