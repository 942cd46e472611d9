package hookhub.config;

import hookhub.decode.CharsetLabels;
import hookhub.record.SourceSpec;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Checks vendor route files before the hub loads them (the {@code validate} command and the hub's safe reload), so a
 * mistake is reported as {@code file:line: problem} instead of a source that fails to start or silently stores
 * nothing. Lines come from the YAML node tree (SnakeYAML Engine, the parser Camel itself uses). Camel's own YAML
 * loader then turns each file into route definitions in a context that is never started: nothing listens, nothing
 * runs.
 */
public final class RouteValidator {

    private static final String HOOKHUB_SOURCE = "hookhub-source";
    private static final String ACCEPT = "direct:accept";
    /** Stands in for the source name while another parameter is checked on its own. */
    private static final String ANY_SOURCE = "x";
    /** Ids of hookhub's own routes (hookhub/routes/accept.yaml, DeliveryRoutes): a vendor route with one would replace it. */
    private static final Set<String> RESERVED_IDS = Set.of("accept", "store-backlog", "store-bodies", "store-retention", "store-free-space", "route-files");
    private static final String RESERVED_ID_PREFIX = "deliver-";
    /** Keys whose scalar value is an endpoint URI in the YAML DSL. */
    private static final Set<String> ENDPOINT_KEYS = Set.of("uri", "to", "toD", "wireTap");

    /** A "- route:" item as written, kept as nodes for their lines. */
    private record RouteItem(Node item, MappingNode route, MappingNode from, ScalarNode uri) {
    }

    /** A hookhub-source parameter; value is null when the YAML holds a list or map instead of a text. */
    private record Param(String name, String value, int line) {
    }

    /** Something only one route may have (a route id, a served path), for collisions across files. */
    private record Claim(String what, String verb, Path file, int line) {
    }

    private RouteValidator() {
    }

    /** Checks one route file; empty list = OK. Never throws for a bad file. */
    public static List<RouteProblem> validate(Path file) {
        return validateAll(List.of(file));
    }

    /**
     * Checks files together: each alone, plus collisions between them (two files serving the same source path
     * /webhooks/&lt;source&gt;, or the same route id). Problems come grouped by file in the given order, by line within one.
     */
    public static List<RouteProblem> validateAll(List<Path> files) {
        List<Path> unique = files.stream().distinct().toList();
        List<RouteProblem> problems = new ArrayList<>();
        List<Claim> claims = new ArrayList<>();
        CamelCheck camel = new CamelCheck();
        for (Path file : unique) {
            try {
                checkFile(file, camel, problems, claims);
            } catch (RuntimeException e) { // a validator bug must not read as "file OK", nor stop the others
                problems.add(new RouteProblem(file, 1, "could not be checked: " + e));
            }
        }
        problems.addAll(collisions(claims));
        problems.sort(Comparator.comparingInt((RouteProblem p) -> unique.indexOf(p.file())).thenComparingInt(RouteProblem::line));
        return List.copyOf(problems);
    }

    /**
     * The hookhub-source parameters of a route file (the first hookhub-source route's {@code from.parameters}, plus
     * any in its URI's query), for {@code try}.
     *
     * @throws IllegalArgumentException with a clear message if the file cannot be read or has no hookhub source
     */
    public static Map<String, String> sourceParameters(Path file) {
        List<RouteProblem> problems = new ArrayList<>();
        List<RouteItem> routes = routeItems(file, problems);
        for (RouteItem r : routes) {
            if (isHookhubSource(r.uri().getValue())) {
                Map<String, String> params = new LinkedHashMap<>();
                for (Param p : parameters(r)) {
                    if (p.value() == null) {
                        throw new IllegalArgumentException(file + ":" + p.line() + ": parameter '" + p.name() + "' must be a text value");
                    }
                    params.put(p.name(), p.value());
                }
                return Collections.unmodifiableMap(params);
            }
        }
        throw new IllegalArgumentException(problems.isEmpty()
                ? file + ": no route in this file starts from kamelet:" + HOOKHUB_SOURCE + ", so it has no source parameters"
                : problems.get(0).toString());
    }

    private static void checkFile(Path file, CamelCheck camel, List<RouteProblem> problems, List<Claim> claims) {
        if (!file.getFileName().toString().endsWith(".yaml")) {
            problems.add(new RouteProblem(file, 1, "the hub loads only *.yaml files from the routes directory: rename it to .yaml"));
        }
        int before = problems.size();
        List<RouteItem> routes = routeItems(file, problems);
        if (problems.size() > before) {
            return; // unreadable, bad syntax or not a list of routes: Camel's loader would only repeat it, less clearly
        }
        problems.addAll(camel.load(file));
        for (RouteItem r : routes) {
            checkRoute(file, r, camel, problems, claims);
        }
    }

    private static void checkRoute(Path file, RouteItem r, CamelCheck camel, List<RouteProblem> problems, List<Claim> claims) {
        if (child(r.route(), "id") instanceof ScalarNode id) {
            claims.add(new Claim("route id '" + id.getValue() + "'", "used", file, line(id)));
            if (RESERVED_IDS.contains(id.getValue()) || id.getValue().startsWith(RESERVED_ID_PREFIX)) {
                problems.add(new RouteProblem(file, line(id), "route id '" + id.getValue()
                        + "' belongs to one of hookhub's own routes (accept, deliver-<sink>, store-*): choose another"));
            }
        }
        checkEndpoints(file, r.route(), camel, problems);
        String uri = r.uri().getValue();
        if (isHookhubSource(uri)) {
            String source = checkParameters(file, r, problems);
            if (source != null) {
                claims.add(new Claim("path /webhooks/" + source, "served", file, line(r.uri())));
            }
            if (!sendsToAccept(r.route())) {
                Node steps = keyNode(r.from(), "steps");
                problems.add(new RouteProblem(file, line(steps != null ? steps : r.item()),
                        "events of this source are never stored: add - to: " + ACCEPT));
            }
        } else if (uri.startsWith("platform-http:")) { // a plain Camel route can serve a path too
            String path = uri.substring("platform-http:".length()).split("\\?")[0];
            claims.add(new Claim("path " + (path.startsWith("/") ? path : "/" + path), "served", file, line(r.uri())));
        }
    }

    /**
     * Each parameter is checked by SourceSpec on its own (other parameters at their defaults), so a problem gets that
     * parameter's line; then all together. Returns the source name when it is valid, else null.
     */
    private static String checkParameters(Path file, RouteItem r, List<RouteProblem> problems) {
        int before = problems.size();
        Map<String, Param> byName = new LinkedHashMap<>();
        for (Param p : parameters(r)) {
            String problem = byName.putIfAbsent(p.name(), p) != null ? "parameter '" + p.name() + "' is given twice"
                    : !SourceSpec.PARAMETERS.contains(p.name()) ? "unknown hookhub-source parameter '" + p.name() + "'; known: "
                            + SourceSpec.PARAMETERS
                    : p.value() == null ? "parameter '" + p.name() + "' must be a text value, not a list or map"
                    : isPlaceholder(p.value()) ? null // a property placeholder: its value is known only in the running hub
                    : checkAlone(p);
            if (problem != null) {
                problems.add(new RouteProblem(file, p.line(), problem));
            }
        }
        Param source = byName.get("source");
        if (source == null) {
            problems.add(new RouteProblem(file, line(r.uri()), "hookhub-source needs the parameter 'source' (its URL path is /webhooks/<source>)"));
        }
        if (problems.size() > before) {
            return null;
        }
        Map<String, String> all = new HashMap<>();
        byName.values().stream().filter(p -> !isPlaceholder(p.value())).forEach(p -> all.put(p.name(), p.value()));
        // a secret from a placeholder is still a secret: its companions (tokenHeader…, hmacHeader) must be there
        for (String secret : List.of("tokens", "hmacSecret")) {
            Param p = byName.get(secret);
            if (p != null && isPlaceholder(p.value())) {
                all.put(secret, "placeholder-secret");
            }
        }
        all.putIfAbsent("source", ANY_SOURCE);
        try {
            SourceSpec.fromParameters(all); // whatever only the combination gets wrong
        } catch (IllegalArgumentException e) {
            problems.add(new RouteProblem(file, line(r.uri()), e.getMessage()));
            return null;
        }
        return isPlaceholder(source.value()) ? null : source.value();
    }

    private static String checkAlone(Param p) {
        if (p.name().equals("tokens") || p.name().equals("hmacSecret")) {
            return null; // only meaningful with their companions (tokenHeader…, hmacHeader): the combined check covers them
        }
        Map<String, String> alone = new HashMap<>();
        alone.put("source", ANY_SOURCE);
        alone.put(p.name(), p.value());
        try {
            SourceSpec.fromParameters(alone);
        } catch (IllegalArgumentException e) {
            return "parameter '" + p.name() + "': " + e.getMessage();
        }
        if (p.name().equals("charset") && !p.value().isBlank() && CharsetLabels.forLabel(p.value()) == null) {
            // the hub would only warn per request and guess the charset: better to hear about the typo now
            return "parameter 'charset': unknown charset '" + p.value() + "' (e.g. UTF-8, EUC-KR)";
        }
        return null;
    }

    /** Components that do not exist and Kamelets hookhub does not ship fail only when the hub starts the route. */
    private static void checkEndpoints(Path file, Node node, CamelCheck camel, List<RouteProblem> problems) {
        if (node instanceof SequenceNode seq) {
            seq.getValue().forEach(n -> checkEndpoints(file, n, camel, problems));
        } else if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                if (ENDPOINT_KEYS.contains(text(t.getKeyNode())) && t.getValueNode() instanceof ScalarNode v) {
                    String problem = camel.endpointProblem(v.getValue());
                    if (problem != null) {
                        problems.add(new RouteProblem(file, line(v), problem));
                    }
                }
                checkEndpoints(file, t.getValueNode(), camel, problems);
            }
        }
    }

    /** True when a {@code to} anywhere in the route (also inside filter, choice, …) sends to direct:accept. */
    private static boolean sendsToAccept(Node node) {
        if (node instanceof SequenceNode seq) {
            return seq.getValue().stream().anyMatch(RouteValidator::sendsToAccept);
        }
        if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                Node target = t.getValueNode() instanceof MappingNode m ? child(m, "uri") : t.getValueNode();
                if ("to".equals(text(t.getKeyNode())) && target instanceof ScalarNode s
                        && s.getValue().split("\\?")[0].replace("direct://", "direct:").equals(ACCEPT)) {
                    return true;
                }
                if (sendsToAccept(t.getValueNode())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<RouteProblem> collisions(List<Claim> claims) {
        List<RouteProblem> problems = new ArrayList<>();
        Map<String, List<Claim>> byWhat = claims.stream().collect(Collectors.groupingBy(Claim::what, LinkedHashMap::new, Collectors.toList()));
        for (List<Claim> same : byWhat.values()) {
            for (Claim c : same) {
                List<String> others = same.stream().filter(o -> o != c).map(o -> o.file() + ":" + o.line()).toList();
                if (!others.isEmpty()) {
                    problems.add(new RouteProblem(c.file(), c.line(), c.what() + " is also " + c.verb() + " by " + String.join(", ", others)));
                }
            }
        }
        return problems;
    }

    // --- reading the YAML

    /** The file's "- route:" items; anything unreadable, bad YAML or of another shape is added to problems instead. */
    private static List<RouteItem> routeItems(Path file, List<RouteProblem> problems) {
        List<Node> docs = new ArrayList<>();
        try {
            new Compose(LoadSettings.builder().setLabel(file.toString()).build()).composeAllFromString(readUtf8(file)).forEach(docs::add);
        } catch (IOException e) {
            problems.add(new RouteProblem(file, 1, "cannot read the file: " + e));
            return List.of();
        } catch (MarkedYamlEngineException e) {
            problems.add(new RouteProblem(file, markLine(e), "YAML syntax: " + describe(e)));
            return List.of();
        } catch (YamlEngineException e) {
            problems.add(new RouteProblem(file, 1, "YAML syntax: " + e.getMessage()));
            return List.of();
        }
        if (docs.isEmpty()) {
            problems.add(new RouteProblem(file, 1, "the file holds no routes: expected a list of '- route:' items"));
        }
        List<RouteItem> items = new ArrayList<>();
        for (Node doc : docs) {
            if (!(doc instanceof SequenceNode seq)) {
                problems.add(new RouteProblem(file, line(doc), "a route file is a list of '- route:' items"));
                continue;
            }
            for (Node item : seq.getValue()) {
                RouteItem r = routeItem(file, item, problems);
                if (r != null) {
                    items.add(r);
                }
            }
        }
        return items;
    }

    private static RouteItem routeItem(Path file, Node item, List<RouteProblem> problems) {
        String kind = item instanceof MappingNode m && !m.getValue().isEmpty() ? text(m.getValue().get(0).getKeyNode()) : null;
        String problem;
        if (!"route".equals(kind)) {
            problem = "expected a '- route:' item" + (kind == null ? "" : ", found '- " + kind + ":'") + "; route files hold routes only";
        } else if (((MappingNode) item).getValue().size() > 1) {
            problem = "a '- route:' item holds only 'route:'; indent id, from and steps below it";
        } else if (!(((MappingNode) item).getValue().get(0).getValueNode() instanceof MappingNode route)) {
            problem = "'route:' must hold id, from and steps";
        } else if (!(child(route, "from") instanceof MappingNode from)) {
            problem = "the route has no 'from:' with a uri";
        } else if (!(child(from, "uri") instanceof ScalarNode uri) || uri.getValue().isBlank()) {
            problem = "'from:' has no uri (a hookhub source starts from kamelet:" + HOOKHUB_SOURCE + ")";
        } else {
            return new RouteItem(item, route, from, uri);
        }
        problems.add(new RouteProblem(file, line(item), problem));
        return null;
    }

    /** from.parameters, plus parameters written into the URI's query (kamelet:hookhub-source?source=x). */
    private static List<Param> parameters(RouteItem r) {
        List<Param> params = new ArrayList<>();
        String uri = r.uri().getValue();
        int q = uri.indexOf('?');
        if (q >= 0) {
            for (String pair : uri.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.add(new Param(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8), line(r.uri())));
                }
            }
        }
        if (child(r.from(), "parameters") instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                String value = t.getValueNode() instanceof ScalarNode s ? s.getValue() : null;
                params.add(new Param(text(t.getKeyNode()), value, line(t.getKeyNode())));
            }
        }
        return params;
    }

    private static boolean isHookhubSource(String uri) {
        return uri.startsWith("kamelet:") && kameletName(uri).equals(HOOKHUB_SOURCE);
    }

    /** kamelet:NAME[/routeId][?options] -> NAME */
    private static String kameletName(String uri) {
        return uri.substring("kamelet:".length()).replaceFirst("^//", "").split("[/?]", 2)[0];
    }

    private static boolean isPlaceholder(String value) {
        return value != null && value.contains("{{");
    }

    private static Node child(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (key.equals(text(t.getKeyNode()))) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private static Node keyNode(MappingNode map, String key) {
        return map.getValue().stream().map(NodeTuple::getKeyNode).filter(k -> key.equals(text(k))).findFirst().orElse(null);
    }

    private static String text(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    private static int markLine(MarkedYamlEngineException e) {
        return e.getProblemMark().or(e::getContextMark).map(Mark::getLine).map(l -> l + 1).orElse(1);
    }

    /** The problem without SnakeYAML's source snippet (the line number already points there). */
    private static String describe(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? String.valueOf(e.getContext()) : e.getProblem();
        String context = e.getContext() != null && e.getProblem() != null
                ? " (" + e.getContext() + e.getContextMark().map(m -> " at line " + (m.getLine() + 1)).orElse("") + ")" : "";
        return (problem + context).replace('\n', ' ');
    }

    /** Camel reads route files as UTF-8; other bytes would turn into replacement characters silently. */
    private static String readUtf8(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("it is not UTF-8 text", e);
        }
    }

    // --- Camel

    /**
     * Camel's side: the YAML routes loader and the component names, from one context that is built but never started,
     * so it has no threads, ports or routes and is simply dropped (stopping it would only log a shutdown).
     */
    private static final class CamelCheck {

        private DefaultCamelContext context;
        private Set<String> components;

        /** Parses the file into route definitions (configureRoutes adds nothing to the context and starts nothing). */
        List<RouteProblem> load(Path file) {
            try {
                String name = file.getFileName().toString();
                // the loader is chosen by the extension; the text is read again so Camel sees exactly the file
                var resource = ResourceHelper.fromString(name.endsWith(".yaml") ? name : name + ".yaml", readUtf8(file));
                for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context()).findRoutesBuilders(resource)) {
                    if (builder instanceof RouteBuilder rb) {
                        rb.configureRoutes(context());
                    }
                }
                return List.of();
            } catch (Exception e) {
                return List.of(camelProblem(file, e));
            }
        }

        /** Why an endpoint URI would fail when the route starts, or null. */
        String endpointProblem(String uri) {
            int colon = uri.indexOf(':');
            if (colon <= 0 || isPlaceholder(uri) || uri.contains("${")) {
                return null; // not a plain URI, or only known at run time
            }
            String scheme = uri.substring(0, colon);
            if (!components().contains(scheme)) {
                return "unknown Camel component '" + scheme + "' in '" + uri + "'";
            }
            String kamelet = scheme.equals("kamelet") ? kameletName(uri) : null;
            if (kamelet != null && !kamelet.equals("source") && !kamelet.equals("sink")
                    && RouteValidator.class.getClassLoader().getResource("kamelets/" + kamelet + ".kamelet.yaml") == null) {
                return "unknown Kamelet '" + kamelet + "': hookhub has no kamelets/" + kamelet + ".kamelet.yaml";
            }
            return null;
        }

        private Set<String> components() {
            if (components == null) {
                components = PluginHelper.getComponentNameResolver(context()).resolveNames(context());
            }
            return components;
        }

        private DefaultCamelContext context() {
            if (context == null) {
                context = new DefaultCamelContext();
                context.build();
            }
            return context;
        }

        private static RouteProblem camelProblem(Path file, Throwable e) {
            for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
                if (c instanceof MarkedYamlEngineException m) {
                    return new RouteProblem(file, markLine(m), "Camel cannot load this route: " + describe(m));
                }
            }
            StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                sb.append(" <- ").append(c.getMessage());
            }
            return new RouteProblem(file, 1, "Camel cannot load this file: " + sb.toString().replace('\n', ' '));
        }
    }
}
