package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-source authentication, address allowlists, signatures, personal data and size limits, over HTTP. */
class SecurityTest {

    static final String TOKEN = "tok-SECRET-one-9f8e7d";
    static final String ROTATED = "tok-SECRET-two-1a2b3c";
    static final String HMAC_SECRET = "hmac-SECRET-5e6f";

    @TempDir
    static Path work;
    static TestHub hub;
    static LogCapture log;

    static String source(String name, String params) {
        return "- route:\n    id: " + name + "\n    from:\n      uri: kamelet:hookhub-source\n      parameters:\n        source: " + name
                + "\n" + params + "      steps:\n        - to: direct:accept\n";
    }

    @BeforeAll
    static void start() throws IOException {
        log = LogCapture.attach();
        Path tokenFile = work.resolve("secrets").resolve("header-token");
        Files.createDirectories(tokenFile.getParent());
        Files.writeString(tokenFile, TOKEN + "," + ROTATED + "\n");
        hub = TestHub.withShippedRoutes(work.resolve("hub"))
                .set("hookhub.http.trusted-proxies", "127.0.0.1")
                .set("hookhub.pii.hmac-key", "pii-key-for-tests")
                .route("byheader.yaml", source("byheader", "        tokens: \"{{file:" + tokenFile + "}}\"\n        tokenHeader: X-Hook-Token\n"))
                .route("byquery.yaml", source("byquery", "        tokens: \"" + TOKEN + "\"\n        tokenQuery: token\n"))
                .route("bypath.yaml", source("bypath", "        tokens: \"" + TOKEN + "\"\n        tokenInPath: \"true\"\n"))
                .route("allowlisted.yaml", source("allowlisted", "        allowFrom: \"198.51.100.0/24, 2001:db8::/32\"\n"))
                .route("signed.yaml", source("signed", "        hmacSecret: \"" + HMAC_SECRET + "\"\n        hmacHeader: X-Signature\n"
                        + "        hmacPrefix: \"sha256=\"\n        hmacTimestampHeader: X-Timestamp\n        hmacTolerance: \"300\"\n"))
                .route("pii.yaml", source("pii", "        dedupKey: phone\n        hashFields: \"phone, callee\"\n        maskFields: \"mobile\"\n"))
                .start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        log.close();
    }

    private static HubClient.Reply get(String target, String... headers) {
        List<Map.Entry<String, String>> h = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.add(Map.entry(headers[i], headers[i + 1]));
        }
        return hub.client().send(new RawRequest("GET", target, h, new byte[0]));
    }

    private static void assertRejected(HubClient.Reply r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.json().get("error").asText());
        assertFalse(r.body().contains("SECRET"), "no credential in an error body: " + r.body());
    }

    @Test
    void tokenInAHeaderFromASecretFileWithRotation() {
        assertRejected(get("/webhooks/byheader?e=1"), 401, "unauthorized");
        assertRejected(get("/webhooks/byheader?e=2", "X-Hook-Token", "tok-SECRET-wrong"), 401, "unauthorized");
        assertEquals(200, get("/webhooks/byheader?e=3", "X-Hook-Token", TOKEN).status());
        assertEquals(200, get("/webhooks/byheader?e=4", "X-Hook-Token", ROTATED).status(), "both tokens work during a rotation");
        assertEquals(200, get("/webhooks/byheader?e=5", "X-Hook-Token", "Bearer " + TOKEN).status());
        JsonNode r = hub.lake().awaitRecord("byheader", hub.client().send(new RawRequest("GET", "/webhooks/byheader?e=6",
                List.of(Map.entry("X-Hook-Token", TOKEN)), new byte[0])).json().get("id").asText());
        assertFalse(r.toString().contains("SECRET"));
    }

    @Test
    void tokenInTheQueryNeverReachesTheRecord() {
        assertRejected(get("/webhooks/byquery?e=1"), 401, "unauthorized");
        assertRejected(get("/webhooks/byquery?e=1&token=nope"), 401, "unauthorized");
        HubClient.Reply ok = get("/webhooks/byquery?e=2&token=" + TOKEN);
        assertEquals(200, ok.status());
        JsonNode r = hub.lake().awaitRecord("byquery", ok.json().get("id").asText());
        assertTrue(r.at("/payload/token").isMissingNode());
        assertFalse(r.toString().contains("SECRET"));
    }

    @Test
    void aRequestCarryingOnlyItsTokenIsEmpty() {
        HubClient.Reply r = get("/webhooks/byquery?token=" + TOKEN);
        assertRejected(r, 400, "empty_body");
    }

    @Test
    void tokenInThePathIsCutFromTheRecordedPath() {
        assertRejected(get("/webhooks/bypath/wrong/vendor-a?e=1"), 401, "unauthorized");
        HubClient.Reply ok = get("/webhooks/bypath/" + TOKEN + "/vendor-a?e=2");
        assertEquals(200, ok.status(), ok.body());
        JsonNode r = hub.lake().awaitRecord("bypath", ok.json().get("id").asText());
        assertEquals("/vendor-a", r.at("/meta/sub_path").asText());
        assertEquals("/webhooks/bypath/[token]/vendor-a", r.at("/meta/path").asText());
    }

    @Test
    void addressAllowlistBelievesForwardedForOnlyFromTrustedProxies() {
        assertRejected(get("/webhooks/allowlisted?e=1"), 403, "forbidden");
        assertEquals(200, get("/webhooks/allowlisted?e=2", "X-Forwarded-For", "198.51.100.7").status(),
                "127.0.0.1 is a trusted proxy here, so its X-Forwarded-For counts");
        assertRejected(get("/webhooks/allowlisted?e=3", "X-Forwarded-For", "203.0.113.9"), 403, "forbidden");
        // a client cannot slip an allowed address in front of the chain: the right-most untrusted hop counts
        assertRejected(get("/webhooks/allowlisted?e=4", "X-Forwarded-For", "198.51.100.7, 203.0.113.9"), 403, "forbidden");
        // the quarantine names the client as the allowlist saw it, and the proxy it came through
        assertTrue(grep(hub.dataDir().resolve("quarantine"), "\"remote_addr\":\"203.0.113.9\",\"peer_addr\":\"127.0.0.1\""),
                "quarantined with the forwarded client address");
    }

    @Test
    void hmacSignatureOverTheRawBodyWithReplayProtection() throws Exception {
        byte[] body = "{\"order\":\"o-1\",\"amount\":100}".getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis() / 1000;
        assertEquals(200, signed(body, now, sign(now, body)).status());
        assertRejected(signed(body, now, sign(now, "{\"order\":\"o-1\",\"amount\":999}".getBytes(StandardCharsets.UTF_8))), 401, "unauthorized");
        assertRejected(signed(body, now - 3600, sign(now - 3600, body)), 401, "unauthorized");
        assertRejected(hub.client().post("/webhooks/signed", "application/json", body), 401, "unauthorized");
    }

    private static HubClient.Reply signed(byte[] body, long ts, String signature) {
        return hub.client().send(new RawRequest("POST", "/webhooks/signed", List.of(Map.entry("Content-Type", "application/json"),
                Map.entry("X-Timestamp", Long.toString(ts)), Map.entry("X-Signature", "sha256=" + signature)), body));
    }

    private static String sign(long ts, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HMAC_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((ts + ".").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void personalDataIsHashedOrMaskedBeforeItIsStored() throws Exception {
        HubClient.Reply a = get("/webhooks/pii?phone=01099990001&callee=0212345678&mobile=01077778888&n=1");
        HubClient.Reply b = get("/webhooks/pii?phone=01099990001&callee=0311112222&mobile=01077778888&n=2");
        assertEquals(a.json().get("id"), b.json().get("id"), "the dedup key works on the hashed value");
        HubClient.Reply c = get("/webhooks/pii?phone=01055556666&callee=0212345678&mobile=010&n=3");
        JsonNode ra = hub.lake().awaitRecord("pii", a.json().get("id").asText());
        JsonNode rc = hub.lake().awaitRecord("pii", c.json().get("id").asText());
        assertTrue(ra.at("/payload/phone").asText().matches("[0-9a-f]{64}"), ra.toString());
        assertEquals(ra.at("/payload/callee"), rc.at("/payload/callee"), "the same number gives the same hash: joins work");
        assertNotEquals(ra.at("/payload/phone"), rc.at("/payload/phone"));
        assertEquals("010****8888", ra.at("/payload/mobile").asText());
        assertFalse(a.body().contains("01099990001"), "not even the id carries the number");
        Lake.sleep(1500);
        // the clear values appear nowhere the hub keeps data: store, lake, logs, metrics
        for (String clear : List.of("01099990001", "0212345678", "01077778888")) {
            assertFalse(grep(hub.dataDir().resolve("lake"), clear), clear + " in the lake");
            assertFalse(grep(hub.dataDir(), "hookhub.db", clear), clear + " in the store");
            assertFalse(log.all().contains(clear), clear + " in the log");
            assertFalse(hub.management().get("/observe/metrics").body().contains(clear), clear + " in the metrics");
        }
    }

    @Test
    void shippedCall050HashesCallerAndCallee() {
        HubClient.Reply r = hub.client().send("call050_answered_utf8.http");
        JsonNode rec = hub.lake().awaitRecord("call050", r.json().get("id").asText());
        assertTrue(rec.at("/payload/caller").asText().matches("[0-9a-f]{64}"), rec.toString());
        assertTrue(rec.at("/payload/callee").asText().matches("[0-9a-f]{64}"));
    }

    @Test
    void longRequestLinesAndHeadersAreServedUpToTheLimitsAndAnsweredInJsonBeyond() {
        String longValue = "x".repeat(15_000);
        assertEquals(200, get("/webhooks/generic?v=" + longValue).status(), "a 15 KB request line is served");
        assertEquals(200, get("/webhooks/generic?v=h", "X-Long", "y".repeat(20_000)).status(), "20 KB of headers are served");
        assertRejected(get("/webhooks/generic?v=" + "x".repeat(20_000)), 414, "uri_too_long");
        assertRejected(get("/webhooks/generic?v=1", "X-Huge", "z".repeat(40_000)), 431, "headers_too_large");
    }

    @Test
    void authFailuresAreCountedAndQuarantinedWithoutTheCredential() throws IOException {
        get("/webhooks/byheader?e=q", "X-Hook-Token", "tok-SECRET-badguess");
        String metrics = hub.management().get("/observe/metrics").body();
        assertTrue(metrics.contains("hookhub_auth_failures_total{reason=\"unauthorized\",source=\"byheader\"}"), metrics);
        assertTrue(metrics.contains("hookhub_auth_failures_total{reason=\"forbidden\",source=\"allowlisted\"}")
                || get("/webhooks/allowlisted?e=m").status() == 403);
        assertFalse(grep(hub.dataDir().resolve("quarantine"), "SECRET"), "quarantine keeps no credential");
        assertFalse(log.all().contains("SECRET"), "the log shows no credential");
    }

    private static boolean grep(Path dir, String needle) {
        return grep(dir, null, needle);
    }

    private static boolean grep(Path dir, String onlyPrefix, String needle) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                if (onlyPrefix != null && !f.getFileName().toString().startsWith(onlyPrefix)) {
                    continue;
                }
                byte[] content = Files.readAllBytes(f);
                if (f.toString().endsWith(".gz")) {
                    content = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(content)).readAllBytes();
                }
                if (new String(content, StandardCharsets.UTF_8).contains(needle)) {
                    return true;
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return false;
    }
}
