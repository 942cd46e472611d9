package hookhub.it;

import hookhub.Hookhub;
import hookhub.config.HubConfiguration;
import hookhub.config.RouteFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.Route;
import org.apache.camel.main.Main;

/**
 * A whole hub running in this JVM with its own working directory (routes/, data/) and free ports, configured the
 * way an operator would: the shipped defaults plus a few overrides. Tests talk to it over HTTP on loopback.
 */
public final class TestHub implements AutoCloseable {

    private final Path workDir;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final int port = Ports.free();
    private final int managementPort = Ports.free();
    private Main main;
    private Thread thread;

    private TestHub(Path workDir) {
        this.workDir = workDir;
        overrides.put("hookhub.http.port", Integer.toString(port));
        overrides.put("hookhub.http.host", "127.0.0.1");
        overrides.put("hookhub.management.port", Integer.toString(managementPort));
        overrides.put("hookhub.data-dir", workDir.resolve("data").toString());
        overrides.put("hookhub.batch.max-age", "300ms");
        overrides.put("hookhub.firehose.batch.max-age", "300ms");
        overrides.put("hookhub.delivery.poll-interval", "100ms");
        overrides.put("hookhub.routes.dir", workDir.resolve("routes").toString());
    }

    /** A hub with the shipped routes/ (generic included). */
    public static TestHub withShippedRoutes(Path workDir) {
        TestHub hub = new TestHub(workDir);
        hub.copyShippedRoutes();
        return hub;
    }

    /** Adds (or replaces) a route file before the hub starts. */
    public TestHub route(String fileName, String yaml) {
        try {
            Files.createDirectories(routesDir());
            Files.writeString(routesDir().resolve(fileName), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public TestHub set(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    public TestHub start() {
        main = new Main();
        main.setDefaultPropertyPlaceholderLocation(Hookhub.PROPERTY_LOCATIONS);
        main.configure().addConfiguration(HubConfiguration.class);
        overrides.forEach(main::addOverrideProperty);
        thread = new Thread(() -> {
            try {
                main.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "test-hub-" + port);
        thread.setDaemon(true);
        thread.start();
        awaitPort(port, 30_000);
        awaitStarted(30_000);
        awaitSourcesLoaded(30_000);
        return this;
    }

    private void awaitStarted(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("hub did not start");
            }
            Lake.sleep(20);
        }
    }

    /**
     * Route files load one by one right after the context started; wait until each file in routes/ has its route
     * (route id = file name, as every shipped file does) or was reported as not loadable.
     */
    private void awaitSourcesLoaded(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!allRouteFilesLoaded()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("route files were not loaded");
            }
            Lake.sleep(20);
        }
    }

    private boolean allRouteFilesLoaded() {
        RouteFiles routeFiles = main.getCamelContext().getRegistry()
                .lookupByNameAndType("routeFiles", RouteFiles.class);
        if (routeFiles == null) {
            return false;
        }
        Set<String> ids = main.getCamelContext().getRoutes().stream().map(Route::getRouteId)
                .collect(Collectors.toSet());
        Map<String, String> problems = routeFiles.problems();
        try (Stream<Path> files = Files.list(routesDir())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .allMatch(n -> ids.contains(n.substring(0, n.length() - ".yaml".length()))
                            || problems.containsKey(n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void awaitPort(int port, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Lake.sleep(50);
            }
        }
        throw new IllegalStateException("nothing listens on port " + port);
    }

    public HubClient client() {
        return new HubClient(port);
    }

    public HubClient management() {
        return new HubClient(managementPort);
    }

    public int managementPort() {
        return managementPort;
    }

    public int port() {
        return port;
    }

    public Path workDir() {
        return workDir;
    }

    public Path dataDir() {
        return workDir.resolve("data");
    }

    public Path routesDir() {
        return workDir.resolve("routes");
    }

    public Lake lake() {
        String dir = overrides.get("hookhub.lake.dir");
        return new Lake(dir != null ? Path.of(dir) : dataDir().resolve("lake"));
    }

    public Path quarantineDir() {
        return dataDir().resolve("quarantine");
    }

    public Main main() {
        return main;
    }

    private void copyShippedRoutes() {
        copyShippedRoutes(routesDir());
    }

    /** The repository's routes/*.yaml into a hub's own routes directory. */
    static void copyShippedRoutes(Path target) {
        try {
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void copyTestRoute(String name) {
        try (InputStream in = TestHub.class.getResourceAsStream("/test-routes/" + name)) {
            Files.createDirectories(routesDir());
            Files.copy(in, routesDir().resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (main != null) {
            main.completed();
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
