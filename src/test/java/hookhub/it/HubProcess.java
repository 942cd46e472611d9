package hookhub.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real thing: {@code java -jar target/hookhub.jar} as a separate process in its own working directory,
 * configured through environment variables the way an operator would. It can be killed with SIGKILL.
 */
public final class HubProcess implements AutoCloseable {

    private final Path workDir;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final int port = Ports.free();
    private final int managementPort = Ports.free();
    private Process process;
    private int starts;

    public HubProcess(Path workDir) {
        this.workDir = workDir;
        env.put("HOOKHUB_HTTP_PORT", Integer.toString(port));
        env.put("HOOKHUB_HTTP_HOST", "127.0.0.1");
        env.put("HOOKHUB_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("HOOKHUB_BATCH_MAX_AGE", "300ms");
        env.put("HOOKHUB_FIREHOSE_BATCH_MAX_AGE", "300ms");
        env.put("HOOKHUB_DELIVERY_POLL_INTERVAL", "100ms");
        TestHub.copyShippedRoutes(workDir.resolve("routes"));
    }

    public HubProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public HubProcess start() {
        String jar = System.getProperty("hookhub.jar", "target/hookhub.jar");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", new File(jar).getAbsolutePath());
        pb.directory(workDir.toFile());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("hub-" + (++starts) + ".log").toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestHub.awaitPort(port, 60_000);
        awaitReady(60_000);
        return this;
    }

    /** Ready once the health check lists the shipped call050 route (route files load after the HTTP server). */
    private void awaitReady(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("hub exited with " + process.exitValue() + "; see " + workDir);
            }
            try {
                HubClient.Reply health = management().get("/observe/health");
                if (health.status() == 200 && health.body().contains("route:call050")) {
                    return;
                }
            } catch (AssertionError notYet) {
                // management port not up yet
            }
            Lake.sleep(100);
        }
        throw new IllegalStateException("hub did not become ready; see " + workDir);
    }

    /** Runs a command-line tool of the jar (replay, dead-letters) with this hub's directory and environment. */
    public String runCommand(String... args) {
        String jar = System.getProperty("hookhub.jar", "target/hookhub.jar");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", new File(jar).getAbsolutePath()));
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError("command " + java.util.List.of(args) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    public void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public HubClient client() {
        return new HubClient(port);
    }

    public HubClient management() {
        return new HubClient(managementPort);
    }

    public Path workDir() {
        return workDir;
    }

    public Lake lake() {
        return new Lake(workDir.resolve("data").resolve("lake"));
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
