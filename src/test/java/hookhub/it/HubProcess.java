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
        awaitReady(120_000);
        return this;
    }

    /**
     * Ready once readiness is UP (the public listener is open) and lists the shipped call050 route (route
     * files load before the public listener opens).
     */
    private void awaitReady(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        String lastSeen = "no reply from the management port";
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("hub exited with " + process.exitValue() + "\n" + logTail());
            }
            try {
                HubClient.Reply health = management().get("/observe/health/ready", java.time.Duration.ofSeconds(5));
                if (health.status() == 200 && health.body().contains("route:call050")) {
                    return;
                }
                lastSeen = "health " + health.status() + ": " + health.body();
            } catch (AssertionError notYet) {
                // management port not up yet
            }
            Lake.sleep(100);
        }
        // A CI machine's temporary directory is gone after the run: put what is needed to diagnose into the failure.
        throw new IllegalStateException("hub did not become ready in " + timeoutMs + " ms; last " + lastSeen + "\n" + logTail());
    }

    /** The last lines of the current start's log, for failure messages. */
    private String logTail() {
        Path log = workDir.resolve("hub-" + starts + ".log");
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
            return "--- last lines of " + log + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ": " + e + ")";
        }
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

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
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
