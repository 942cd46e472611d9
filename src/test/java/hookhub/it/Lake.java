package hookhub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Reads what a hub wrote to its local data lake: every record of every complete .ndjson.gz file. */
public final class Lake {

    private static final ObjectMapper JSON = hookhub.decode.JsonBodyDecoder.mapper(); // exact numbers, as written

    private final Path root;

    public Lake(Path root) {
        this.root = root;
    }

    public List<Path> files() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".ndjson.gz")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<JsonNode> records() {
        List<JsonNode> all = new ArrayList<>();
        for (Path f : files()) {
            all.addAll(read(f));
        }
        return all;
    }

    public static List<JsonNode> read(Path file) {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        return out;
    }

    /** Waits until the lake holds records matching the condition, and returns them all. */
    public List<JsonNode> await(Predicate<List<JsonNode>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> now = records();
        while (!done.test(now)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the lake did not reach the expected state in " + timeout + "; it holds " + now.size()
                        + " records");
            }
            sleep(100);
            now = records();
        }
        return now;
    }

    public JsonNode awaitRecord(String source, String id) {
        List<JsonNode> all = await(rs -> rs.stream().anyMatch(r -> matches(r, source, id)), Duration.ofSeconds(30));
        return all.stream().filter(r -> matches(r, source, id)).findFirst().orElseThrow();
    }

    private static boolean matches(JsonNode r, String source, String id) {
        return r.path("source").asText().equals(source) && r.path("id").asText().equals(id);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
