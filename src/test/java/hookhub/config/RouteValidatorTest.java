package hookhub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteValidatorTest {

    private static final Path DIR = Path.of("src/test/resources/validate");

    @TempDir
    Path tmp;

    private static List<RouteProblem> check(String name) {
        return RouteValidator.validate(DIR.resolve(name));
    }

    /** A hookhub source whose parameters block is {@code params} (each line indented by 8), lines 5.. onwards. */
    private Path source(String name, String params) throws Exception {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                - route:
                    id: %s
                    from:
                      uri: kamelet:hookhub-source
                      parameters:
                %s
                      steps:
                        - to: direct:accept
                """.formatted(name, params.indent(8).stripTrailing()));
        return f;
    }

    private static void assertOne(List<RouteProblem> problems, int line, String containing) {
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(line, problems.get(0).line(), problems.toString());
        assertTrue(problems.get(0).message().contains(containing), problems.toString());
    }

    @Test
    void goodSourceAndPlainCamelRouteAreClean() {
        assertEquals(List.of(), check("good.yaml"));
        assertEquals(List.of(), check("plain.yaml"));
    }

    @Test
    void syntaxErrorIsReportedAtItsLine() {
        List<RouteProblem> p = check("syntax-error.yaml");
        assertOne(p, 9, "YAML syntax");
    }

    @Test
    void unknownParameterIsReportedAtItsLine() {
        List<RouteProblem> p = check("unknown-parameter.yaml");
        assertOne(p, 7, "unknown hookhub-source parameter 'dedupkey'");
    }

    @Test
    void badTypeAndBadZoneAreEachReportedAtTheirLine() {
        List<RouteProblem> p = check("bad-type.yaml");
        assertEquals(2, p.size(), p.toString());
        assertEquals(7, p.get(0).line());
        assertTrue(p.get(0).message().contains("Asia/Seoull"), p.toString());
        assertEquals(8, p.get(1).line());
        assertTrue(p.get(1).message().contains("unknown type 'integr'"), p.toString());
    }

    @Test
    void sourceWithoutDirectAcceptIsReported() {
        List<RouteProblem> p = check("no-accept.yaml");
        assertOne(p, 7, "events of this source are never stored: add - to: direct:accept");
    }

    @Test
    void directAcceptInsideAFilterCounts() throws Exception {
        Path f = tmp.resolve("filtered.yaml");
        Files.writeString(f, """
                - route:
                    id: filtered
                    from:
                      uri: kamelet:hookhub-source
                      parameters:
                        source: filtered
                      steps:
                        - filter:
                            simple: "${body.size} > 0"
                            steps:
                              - to:
                                  uri: direct:accept
                """);
        assertEquals(List.of(), RouteValidator.validate(f));
    }

    @Test
    void twoFilesServingTheSameSourceNameEachOther() {
        Path a = DIR.resolve("same-source-a.yaml");
        Path b = DIR.resolve("same-source-b.yaml");
        assertEquals(List.of(), RouteValidator.validate(a));
        assertEquals(List.of(), RouteValidator.validate(b));
        List<RouteProblem> p = RouteValidator.validateAll(List.of(a, b));
        assertEquals(2, p.size(), p.toString());
        assertEquals(a + ":4: path /webhooks/vendor is also served by " + b + ":4", p.get(0).toString());
        assertEquals(b + ":4: path /webhooks/vendor is also served by " + a + ":4", p.get(1).toString());
    }

    @Test
    void sameRouteIdInTwoFilesIsReported() throws Exception {
        Path a = source("one", "source: one");
        Path b = tmp.resolve("two.yaml");
        Files.writeString(b, Files.readString(source("two", "source: two")).replace("id: two", "id: one"));
        List<RouteProblem> p = RouteValidator.validateAll(List.of(a, b));
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(1).toString().equals(b + ":2: route id 'one' is also used by " + a + ":2"), p.toString());
    }

    @Test
    void camelLoaderErrorsKeepTheirLine() {
        List<RouteProblem> p = check("unknown-step.yaml");
        assertTrue(p.stream().anyMatch(x -> x.line() == 8 && x.message().contains("Unknown node id: too")), p.toString());
    }

    @Test
    void badAndMissingSourceNames() throws Exception {
        assertOne(RouteValidator.validate(source("upper", "source: Vendor")), 6, "parameter 'source'");
        assertOne(RouteValidator.validate(source("nosource", "dedupKey: id")), 4, "needs the parameter 'source'");
    }

    @Test
    void badTimestampPatternAndUnknownCharset() throws Exception {
        assertOne(RouteValidator.validate(source("pattern", "source: pattern\ntimestampPattern: yyyyMMddHHmmssQQQQQQ")), 7,
                "parameter 'timestampPattern'");
        assertOne(RouteValidator.validate(source("cs", "source: cs\ncharset: EUC-KRR")), 7, "unknown charset 'EUC-KRR'");
    }

    @Test
    void unknownComponentKameletAndReservedIdAreReported() throws Exception {
        Path f = tmp.resolve("mixed.yaml");
        Files.writeString(f, """
                - route:
                    id: accept
                    from:
                      uri: timer:tick
                      steps:
                        - to: lgo:oops
                - route:
                    id: typo
                    from:
                      uri: kamelet:hookhub-sorce
                      parameters:
                        source: typo
                      steps:
                        - to: direct:accept
                """);
        List<RouteProblem> p = RouteValidator.validate(f);
        assertEquals(List.of(2, 6, 10), p.stream().map(RouteProblem::line).toList(), p.toString());
        assertTrue(p.get(0).message().contains("hookhub's own routes"), p.toString());
        assertTrue(p.get(1).message().contains("unknown Camel component 'lgo'"), p.toString());
        assertTrue(p.get(2).message().contains("unknown Kamelet 'hookhub-sorce'"), p.toString());
    }

    @Test
    void notAListOfRoutesIsReported() throws Exception {
        Path f = tmp.resolve("beans.yaml");
        Files.writeString(f, "- beans:\n    - name: x\n      type: java.lang.Object\n");
        assertOne(RouteValidator.validate(f), 1, "found '- beans:'");
        Path empty = tmp.resolve("empty.yaml");
        Files.writeString(empty, "# nothing yet\n");
        assertOne(RouteValidator.validate(empty), 1, "no routes");
    }

    @Test
    void missingFileIsAProblemNotAnException() {
        assertOne(RouteValidator.validate(tmp.resolve("gone.yaml")), 1, "cannot read");
    }

    @Test
    void parametersInTheUriQueryCount() throws Exception {
        Path f = tmp.resolve("query.yaml");
        Files.writeString(f, """
                - route:
                    id: query
                    from:
                      uri: "kamelet:hookhub-source?source=query&dedupKey=id"
                      steps:
                        - to: direct:accept
                """);
        assertEquals(List.of(), RouteValidator.validate(f));
        assertEquals(Map.of("source", "query", "dedupKey", "id"), RouteValidator.sourceParameters(f));
    }

    @Test
    void sourceParametersOfAShippedRoute() {
        Map<String, String> p = RouteValidator.sourceParameters(Path.of("routes/call050.yaml"));
        assertEquals("call050", p.get("source"));
        assertEquals("Asia/Seoul", p.get("timestampZone"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RouteValidator.sourceParameters(DIR.resolve("plain.yaml")));
        assertTrue(e.getMessage().contains("kamelet:hookhub-source"), e.getMessage());
    }

    @Test
    void problemPrintsAsFileLineMessage() {
        assertEquals("routes/x.yaml:12: boom", new RouteProblem(Path.of("routes/x.yaml"), 12, "boom").toString());
    }
}
