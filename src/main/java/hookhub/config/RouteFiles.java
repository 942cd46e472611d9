package hookhub.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.kamelet.KameletEndpoint;
import hookhub.edge.DecodeRequest;
import hookhub.record.SourceSpec;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The integrators' route files (routes/*.yaml), loaded and reloaded safely. Every new or changed file is checked by
 * the {@link RouteValidator} before it replaces the running version: a bad edit leaves the previous version serving,
 * and its problem ({@code file:line: problem}) is logged and shown on health and the status page until fixed. A
 * deleted file retires its source (404 afterwards). Files are scanned every hookhub.routes.reload-interval; write a
 * file elsewhere and move it in, so the scan never sees it half-written.
 */
public final class RouteFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);

    /**
     * What is known about one file: the version last seen, the routes it runs, the content they came from, and the
     * {@code {{file:…}}} secrets that content reads with their version then (a rotated secret reloads the file).
     */
    private record Known(long modified, long size, Set<String> routeIds, String loadedContent, SecretFiles secrets) {
    }

    /** How long a reload waits for a source's requests in flight before it replaces the routes anyway. */
    private static final long DRAIN_MS = 30_000;

    private final Path dir;
    private final hookhub.edge.ReloadGate gate;
    private final Map<Path, Known> known = new HashMap<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private boolean started;

    public RouteFiles(Path dir, hookhub.edge.ReloadGate gate) {
        this.dir = dir;
        this.gate = gate;
    }

    /** Route files whose latest version was not loaded, with the problem (file name to "line: message"). */
    public Map<String, String> problems() {
        return new TreeMap<>(problems);
    }

    /** Loads every route file at start-up; a bad file is skipped and reported, the others serve. */
    public synchronized void loadAll(CamelContext context) {
        started = true;
        scan(context);
        LOG.info("Loaded {} of {} route files from {}", known.values().stream().filter(k -> !k.routeIds().isEmpty()).count(),
                known.size(), dir.toAbsolutePath());
    }

    /** Looks for new, changed and deleted files and applies each change safely. */
    public synchronized void scan(CamelContext context) {
        if (!started) {
            return; // loadAll runs first, once the HTTP edge is in place
        }
        Map<Path, long[]> present = list();
        for (Path gone : known.keySet().stream().filter(p -> !present.containsKey(p)).toList()) {
            retire(context, gone);
        }
        List<Path> changed = present.entrySet().stream().filter(f -> {
            Known k = known.get(f.getKey());
            return k == null || k.modified() != f.getValue()[0] || k.size() != f.getValue()[1] || k.secrets().changed();
        }).map(Map.Entry::getKey).toList();
        if (changed.isEmpty()) {
            return;
        }
        // collisions count too: check all files together once, then apply each changed file with its own problems
        List<RouteProblem> problemsNow = RouteValidator.validateAll(List.copyOf(present.keySet()));
        for (Path file : changed) {
            Path normal = file.toAbsolutePath().normalize();
            apply(context, file, present.get(file),
                    problemsNow.stream().filter(p -> p.file().toAbsolutePath().normalize().equals(normal)).toList());
        }
    }

    private void apply(CamelContext context, Path file, long[] version, List<RouteProblem> found) {
        Known before = known.get(file);
        Set<String> running = before == null ? Set.of() : before.routeIds();
        String content;
        try {
            content = Files.readString(file);
        } catch (IOException e) {
            LOG.warn("Route file {} could not be read: {}", file, e.getMessage());
            return;
        }
        SecretFiles secrets = SecretFiles.of(content);
        if (before != null && before.modified() == version[0] && before.size() == version[1]) {
            LOG.info("Route file {}: a secret file it reads changed, reloading", file.getFileName());
        }
        if (!found.isEmpty()) {
            String text = found.stream().map(p -> p.line() + ": " + p.message()).collect(Collectors.joining("; "));
            problems.put(file.getFileName().toString(), text);
            found.forEach(p -> LOG.error("Route file not loaded, {}{}", p,
                    running.isEmpty() ? "" : " (the previous version keeps serving)"));
            known.put(file, new Known(version[0], version[1], running, before == null ? null : before.loadedContent(), secrets));
            return;
        }
        Set<String> gated = closeGate(context, running);
        try {
            replace(context, file, content, before, running, version, secrets);
        } finally {
            gate.open(gated);
        }
    }

    /** Retires the running routes of the file and loads the new content; on failure the previous content again. */
    private void replace(CamelContext context, Path file, String content, Known before, Set<String> running, long[] version,
            SecretFiles secrets) {
        retire(context, running);
        try {
            Set<String> ids = load(context, file, content);
            gate.register(sourcesOf(context, ids));
            problems.remove(file.getFileName().toString());
            known.put(file, new Known(version[0], version[1], ids, content, secrets));
            LOG.info("Route file {} {}: routes {}", file.getFileName(), before == null ? "loaded" : "reloaded", ids);
            ids.forEach(id -> warnIfOpen(context, id));
        } catch (Exception e) {
            problems.put(file.getFileName().toString(), "1: " + e.getMessage());
            LOG.error("Route file {} could not be loaded: {}", file, e.getMessage());
            Set<String> restored = Set.of();
            if (before != null && before.loadedContent() != null) {
                try {
                    restored = load(context, file, before.loadedContent());
                    LOG.warn("Route file {}: the previous version serves again", file.getFileName());
                } catch (Exception again) {
                    LOG.error("Route file {}: the previous version could not be restored: {}", file, again.getMessage());
                }
            }
            known.put(file, new Known(version[0], version[1], restored, before == null ? null : before.loadedContent(), secrets));
        }
    }

    private static Set<String> load(CamelContext context, Path file, String content) throws Exception {
        Resource resource = org.apache.camel.support.ResourceHelper.fromString("file:" + file.toAbsolutePath(), content);
        return PluginHelper.getRoutesLoader(context).updateRoutes(List.of(resource));
    }

    private void retire(CamelContext context, Path file) {
        Known k = known.remove(file);
        problems.remove(file.getFileName().toString());
        Set<String> gated = closeGate(context, k.routeIds());
        try {
            retire(context, k.routeIds());
        } finally {
            gate.open(gated); // the path answers 404 unknown_source from now on
        }
        LOG.info("Route file {} was deleted: routes {} retired", file.getFileName(), k.routeIds());
    }

    /** Holds new requests for the sources of these routes and waits for those in flight (see ReloadGate). */
    private Set<String> closeGate(CamelContext context, Set<String> routeIds) {
        Set<String> sources = sourcesOf(context, routeIds);
        try {
            if (!gate.close(sources, DRAIN_MS)) {
                LOG.warn("Sources {}: requests still in flight after {} ms; replacing their routes anyway", sources, DRAIN_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return sources;
    }

    /** The source names (the Kamelet's source parameter) of these vendor routes. */
    private static Set<String> sourcesOf(CamelContext context, Set<String> routeIds) {
        Set<String> sources = new java.util.HashSet<>();
        for (String id : routeIds) {
            Route route = context.getRoute(id);
            if (route != null && route.getEndpoint() instanceof KameletEndpoint k) {
                DecodeRequest.sourceName(context, k.getRouteId()).ifPresent(sources::add);
            }
        }
        return sources;
    }

    /**
     * Stops and removes routes, each with the route its Kamelet created (the hookhub-source template route holding the
     * HTTP consumer): otherwise the old path would keep answering with nobody behind it.
     */
    private static void retire(CamelContext context, Set<String> ids) {
        for (String id : ids) {
            Route route = context.getRoute(id);
            String kameletRoute = route != null && route.getEndpoint() instanceof KameletEndpoint k ? k.getRouteId() : null;
            removeRoute(context, id);
            if (kameletRoute != null) {
                removeRoute(context, kameletRoute);
            }
        }
    }

    private static void removeRoute(CamelContext context, String id) {
        try {
            context.getRouteController().stopRoute(id);
            context.removeRoute(id);
        } catch (Exception e) {
            LOG.warn("Route {} could not be retired: {}", id, e.getMessage());
        }
    }

    /** A source without token, allowlist or signature takes requests from anyone: say so whenever one (re)loads. */
    private static void warnIfOpen(CamelContext context, String routeId) {
        Route route = context.getRoute(routeId);
        if (route == null || !(route.getEndpoint() instanceof KameletEndpoint k) || !DecodeRequest.isSourceRoute(context, k.getRouteId())) {
            return;
        }
        try {
            SourceSpec spec = DecodeRequest.spec(context, k.getRouteId());
            if (spec.auth().open()) {
                LOG.warn("Source {} is OPEN: it takes requests from anyone (no token, allowlist or signature configured)", spec.source());
            }
        } catch (IllegalArgumentException e) {
            LOG.error("Source route {} has invalid parameters: {}", routeId, e.getMessage());
        }
    }

    /** The route files now in the directory, with their modification time and size. */
    private Map<Path, long[]> list() {
        Map<Path, long[]> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".yaml")).toList()) {
                files.put(p, new long[] {Files.getLastModifiedTime(p).toMillis(), Files.size(p)});
            }
        } catch (IOException e) {
            LOG.warn("Cannot list route files in {}: {}", dir.toAbsolutePath(), e.getMessage());
        }
        return files;
    }
}
