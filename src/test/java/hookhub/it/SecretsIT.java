package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped AppsFlyer route with its token from the environment, as an operator runs it: only requests carrying
 * the token are stored, and the token appears in no log line, error body, record or quarantine file.
 */
class SecretsIT {

    static final String TOKEN = "af-TOKEN-from-env-7c1d2e";
    static final String PII_KEY = "pii-KEY-from-env-3b4a";

    @TempDir
    Path work;

    @Test
    void tokensFromTheEnvironmentProtectTheSourceAndNeverLeak() throws IOException {
        try (HubProcess hub = new HubProcess(work).env("HOOKHUB_APPSFLYER_TOKEN", TOKEN).env("HOOKHUB_PII_HMAC_KEY", PII_KEY)
                .env("HOOKHUB_STORE_PASSWORD", "db-PASSWORD-unused").env("HOOKHUB_LOG_FORMAT", "json").start()) {
            RawRequest purchase = RawRequest.resource("appsflyer_purchase_post.http");
            RawRequest withoutToken = new RawRequest(purchase.method(), purchase.target(),
                    purchase.headers().stream().filter(h -> !h.getKey().equalsIgnoreCase("Authorization")).toList(), purchase.body());
            HubClient.Reply refused = hub.client().send(withoutToken);
            assertEquals(401, refused.status(), refused.body());
            RawRequest wrong = new RawRequest(purchase.method(), purchase.target(),
                    List.of(Map.entry("Content-Type", "application/json"), Map.entry("Authorization", "af-TOKEN-guess")), purchase.body());
            assertEquals(401, hub.client().send(wrong).status());
            RawRequest right = new RawRequest(purchase.method(), purchase.target(),
                    List.of(Map.entry("Content-Type", "application/json"), Map.entry("Authorization", TOKEN)), purchase.body());
            HubClient.Reply ok = hub.client().send(right);
            assertEquals(200, ok.status(), ok.body());
            hub.lake().awaitRecord("appsflyer", ok.json().get("id").asText());
            assertEquals(1, hub.lake().records().size(), "only the authenticated request is stored");
            hub.client().send(RawRequest.resource("call050_answered_utf8.http")); // a hashed source too

            // hookhub.log.format=json: one JSON object per line, the start-up summary among them
            List<String> lines = Files.readAllLines(work.resolve("hub-1.log")).stream().filter(l -> l.startsWith("{")).toList();
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            boolean summary = false;
            for (String line : lines) {
                summary |= json.readTree(line).path("message").asText().startsWith("hookhub listening on");
            }
            org.junit.jupiter.api.Assertions.assertTrue(summary, "JSON log lines with the start-up summary");

            for (String secret : List.of(TOKEN, PII_KEY, "db-PASSWORD-unused", "af-TOKEN-guess")) {
                assertFalse(refused.body().contains(secret));
                assertFalse(anyFileContains(work, secret), secret + " leaked into a log, record or quarantine file");
            }
        }
    }

    private static boolean anyFileContains(Path dir, String needle) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                if (f.toString().endsWith(".gz")) {
                    bytes = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes)).readAllBytes();
                }
                if (new String(bytes, StandardCharsets.ISO_8859_1).contains(needle)) {
                    return true;
                }
            }
        }
        return false;
    }
}
