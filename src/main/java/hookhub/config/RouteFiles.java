package hookhub.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the integrators' route files (routes/*.yaml) one at a time, so a broken file is reported with its name and
 * problem while every other source starts and serves. Later edits are picked up by Camel's route reload.
 */
public final class RouteFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);

    private final Path dir;
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    public RouteFiles(Path dir) {
        this.dir = dir;
    }

    /** Route files that could not be loaded at start-up, with the problem (file name to message). */
    public Map<String, String> problems() {
        return Map.copyOf(problems);
    }

    public void loadAll(CamelContext context) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            LOG.warn("No route files loaded: cannot list {} ({})", dir.toAbsolutePath(), e.getMessage());
            return;
        }
        int loaded = 0;
        for (Path file : files) {
            try {
                Resource resource = PluginHelper.getResourceLoader(context).resolveResource("file:" + file.toAbsolutePath());
                PluginHelper.getRoutesLoader(context).loadRoutes(resource);
                loaded++;
            } catch (Exception e) {
                String problem = rootMessage(e);
                problems.put(file.getFileName().toString(), problem);
                LOG.error("Route file {} was not loaded; the other sources keep serving. Problem: {}", file, problem);
            }
        }
        LOG.info("Loaded {} of {} route files from {}", loaded, files.size(), dir.toAbsolutePath());
    }

    private static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(" <- ").append(c.getMessage());
        }
        return sb.toString().replace('\n', ' ');
    }
}
