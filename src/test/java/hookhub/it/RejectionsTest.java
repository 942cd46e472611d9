package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rejection code with its JSON body, and the raw request it leaves in quarantine. */
class RejectionsTest {

    @TempDir
    static Path work;
    static TestHub hub;
    static HubClient client;

    @BeforeAll
    static void start() {
        hub = TestHub.withShippedRoutes(work).set("hookhub.http.max-body-bytes", "64KiB").start();
        client = hub.client();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** The quarantine entry (request file, reason file) written for the rejection with this code, newest first. */
    private static Quarantined quarantined(String code) {
        try (Stream<Path> s = Files.walk(hub.quarantineDir())) {
            List<Path> reasons = s.filter(p -> p.getFileName().toString().contains("-" + code + "-")
                    && p.toString().endsWith(".json")).sorted().toList();
            assertFalse(reasons.isEmpty(), "no quarantine entry for " + code);
            Path json = reasons.get(reasons.size() - 1);
            Path http = json.resolveSibling(json.getFileName().toString().replace(".json", ".http"));
            return new Quarantined(new ObjectMapper().readTree(json.toFile()), Files.readAllBytes(http));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Quarantined(JsonNode reason, byte[] request) {
        RawRequest parsed() {
            return RawRequest.parse(request);
        }
    }

    private static void assertRejection(HubClient.Reply r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/json", r.header("Content-Type"));
        JsonNode body = r.json();
        assertEquals("rejected", body.get("status").asText());
        assertEquals(code, body.get("error").asText());
        assertFalse(body.get("message").asText().isBlank());
    }

    @Test
    void emptyBodyIs400AndKept() {
        HubClient.Reply r = client.send("generic_empty.http");
        assertRejection(r, 400, "empty_body");
        Quarantined q = quarantined("empty_body");
        assertEquals(400, q.reason().get("status").asInt());
        assertEquals("generic", q.reason().get("source").asText());
        assertEquals("POST", q.parsed().method());
        assertEquals("/webhooks/generic", q.parsed().target());
    }

    @Test
    void undecodableJsonIs400AndTheBodyIsKeptByteExact() {
        byte[] body = "{\"broken\": tru".getBytes(StandardCharsets.UTF_8);
        HubClient.Reply r = client.post("/webhooks/generic", "application/json", body);
        assertRejection(r, 400, "invalid_json");
        Quarantined q = quarantined("invalid_json");
        assertArrayEquals(body, q.parsed().body());
        assertEquals("application/json", q.parsed().header("Content-Type"));
    }

    @Test
    void unknownSourceIs404AndKept() {
        HubClient.Reply r = client.post("/webhooks/nosuchvendor/x", "application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertRejection(r, 404, "unknown_source");
        assertEquals("/webhooks/nosuchvendor/x", quarantined("unknown_source").parsed().target());
        // a source name that merely starts like a real one is not that source
        assertRejection(client.get("/webhooks/call050extra?call_id=1"), 404, "unknown_source");
    }

    @Test
    void otherMethodsAre405WithAllow() {
        HubClient.Reply r = client.request("PUT", "/webhooks/call050", "application/json", "{\"call_id\":\"p\"}".getBytes(StandardCharsets.UTF_8));
        assertRejection(r, 405, "method_not_allowed");
        assertEquals("GET, POST", r.header("Allow"));
        assertEquals("PUT", quarantined("method_not_allowed").parsed().method());
    }

    @Test
    void oversizedBodyIs413() {
        byte[] big = new byte[100 * 1024];
        Arrays.fill(big, (byte) 'a');
        HubClient.Reply r = client.post("/webhooks/generic", "application/x-www-form-urlencoded", big);
        assertRejection(r, 413, "body_too_large");
        assertNotNull(quarantined("body_too_large").reason().get("message"));
    }

    @Test
    void unsupportedContentTypeIs415() {
        byte[] xml = "<event><id>1</id></event>".getBytes(StandardCharsets.UTF_8);
        HubClient.Reply r = client.post("/webhooks/generic", "application/xml", xml);
        assertRejection(r, 415, "unsupported_media_type");
        assertArrayEquals(xml, quarantined("unsupported_media_type").parsed().body());
    }

    @Test
    void quarantineNeverKeepsCredentials() {
        RawRequest withToken = new RawRequest("POST", "/webhooks/generic?token=sekret-query-value&keep=1",
                List.of(java.util.Map.entry("Content-Type", "application/json"),
                        java.util.Map.entry("Authorization", "Bearer sekret-header-value"),
                        java.util.Map.entry("X-AF-Push-Token", "sekret-af-value")),
                "{\"oops\": }".getBytes(StandardCharsets.UTF_8));
        assertRejection(client.send(withToken), 400, "invalid_json");
        String kept = new String(quarantined("invalid_json").request(), StandardCharsets.ISO_8859_1);
        assertFalse(kept.contains("sekret"), kept);
        assertTrue(kept.contains("keep=1"), kept);
    }
}
