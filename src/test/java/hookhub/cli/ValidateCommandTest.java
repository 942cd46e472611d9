package hookhub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ValidateCommandTest {

    private static final String DIR = "src/test/resources/validate/";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private int validate(String... files) {
        List<String> args = new ArrayList<>(List.of("validate"));
        args.addAll(List.of(files));
        return ValidateCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void everyShippedRouteFileValidatesClean() throws Exception {
        List<String> shipped;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            shipped = s.map(Path::toString).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
        assertFalse(shipped.isEmpty());
        assertEquals(0, validate(shipped.toArray(String[]::new)), lines().toString());
        assertEquals(List.of(shipped.size() + " route files OK"), lines());
    }

    @Test
    void withoutArgumentsTheRoutesDirectoryIsValidated() throws Exception {
        long shipped;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            shipped = s.filter(p -> p.toString().endsWith(".yaml")).count();
        }
        assertEquals(0, validate(), lines().toString());
        assertEquals(List.of(shipped + " route files OK"), lines());
    }

    @Test
    void problemsArePrintedOnePerLineWithASummaryAndExit1() {
        assertEquals(1, validate(DIR + "good.yaml", DIR + "no-accept.yaml", DIR + "bad-type.yaml"));
        assertEquals(List.of(
                DIR + "no-accept.yaml:7: events of this source are never stored: add - to: direct:accept",
                DIR + "bad-type.yaml:7: parameter 'timestampZone': invalid time zone 'Asia/Seoull': Unknown time-zone ID: Asia/Seoull",
                DIR + "bad-type.yaml:8: parameter 'types': field type entry 'duration:integr': unknown type 'integr'"
                        + " (expected string, int, decimal, bool, timestamp or json)",
                "3 problems in 2 of 3 route files"), lines());
    }

    @Test
    void oneGoodFile() {
        assertEquals(0, validate(DIR + "good.yaml"));
        assertEquals(List.of("1 route file OK"), lines());
    }

    @Test
    void collisionsAcrossTheGivenFilesCount() {
        assertEquals(1, validate(DIR + "same-source-a.yaml", DIR + "same-source-b.yaml"));
        assertEquals("2 problems in 2 of 2 route files", lines().get(lines().size() - 1));
    }

    @Test
    void usageErrorsExit2() {
        assertEquals(2, validate("--strict"));
        assertTrue(lines().get(0).startsWith("usage: validate"), lines().toString());
        bytes.reset();
        assertEquals(2, validate(DIR + "does-not-exist.yaml"));
        assertEquals(List.of("no such file: " + DIR + "does-not-exist.yaml"), lines());
    }
}
