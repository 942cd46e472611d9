package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A flood of bad requests cannot fill the disk through the quarantine: past its cap only the reasons are kept. */
class QuarantineCapTest {

    @TempDir
    Path work;

    @Test
    void pastTheCapOnlyReasonFilesAreWritten() throws Exception {
        try (TestHub hub = TestHub.withShippedRoutes(work).set("hookhub.quarantine.max-bytes", "2KiB").start()) {
            byte[] junk = ("{\"broken\": " + "x".repeat(800)).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 6; i++) {
                assertEquals(400, hub.client().post("/webhooks/generic", "application/json", junk).status());
            }
            List<Path> files;
            try (Stream<Path> s = Files.walk(hub.quarantineDir())) {
                files = s.filter(Files::isRegularFile).toList();
            }
            long requests = files.stream().filter(f -> f.toString().endsWith(".http")).count();
            long reasons = files.stream().filter(f -> f.toString().endsWith(".json")).count();
            assertEquals(6, reasons, "every rejection keeps its reason");
            assertTrue(requests >= 1 && requests < 6, requests + " request files");
            ObjectMapper json = new ObjectMapper();
            assertTrue(files.stream().filter(f -> f.toString().endsWith(".json")).anyMatch(f -> {
                try {
                    return !json.readTree(f.toFile()).get("request_kept").asBoolean();
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }));
            assertFalse(files.stream().anyMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }
}
