package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;

/** Integrators add a vendor by dropping a route file into routes/: no restart, and a bad file harms no one else. */
class RouteReloadTest extends SharedHub {


    /** Writes the file next to routes/ and moves it in, the way the docs tell integrators to. */
    private static void drop(String name, String content) throws IOException {
        Path staged = hub.workDir().resolve(name + ".staged");
        Files.writeString(staged, content, StandardCharsets.UTF_8);
        Files.move(staged, hub.routesDir().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static HubClient.Reply awaitStatus(String target, int status, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        HubClient.Reply r = client.get(target);
        while (r.status() != status && System.currentTimeMillis() < deadline) {
            Lake.sleep(250);
            r = client.get(target);
        }
        return r;
    }

    @Test
    void aCopiedRouteFileServesANewSourceWithinSeconds() throws IOException {
        assertEquals(404, client.get("/webhooks/partnerx?adid=1").status());
        String adbrix = Files.readString(hub.routesDir().resolve("adbrix.yaml"));
        drop("partnerx.yaml", adbrix.replace("adbrix", "partnerx"));

        HubClient.Reply r = awaitStatus("/webhooks/partnerx?abx%3Aorder_id=O-77&adid=d1&event_name=buy&event_timestamp_d=1762132500250", 200, 20_000);
        assertEquals(200, r.status(), r.body());
        assertEquals("accepted", r.json().get("status").asText());
        assertEquals("partnerx", hub.lake().awaitRecord("partnerx", r.json().get("id").asText()).get("source").asText());
    }

    @Test
    void aBadEditLeavesThePreviousVersionServingAndIsShownUntilFixed() throws IOException {
        String good = Files.readString(hub.routesDir().resolve("call050.yaml"));
        assertEquals(200, client.get("/webhooks/call050?call_id=edit-1&duration=5").status());
        try (LogCapture log = LogCapture.attach()) {
            drop("call050.yaml", good.replace("duration:int", "duration:integr"));
            long deadline = System.currentTimeMillis() + 15_000;
            while (!hub.management().get("/status.json").body().contains("call050.yaml") && System.currentTimeMillis() < deadline) {
                Lake.sleep(200);
            }
            assertTrue(log.all().matches("(?s).*call050\\.yaml:\\d+: .*integr.*"), "file:line: problem is logged:\n" + log.all());
        }
        assertTrue(hub.management().get("/status.json").json().at("/route_file_problems/call050.yaml").asText().contains("integr"));
        assertTrue(hub.management().get("/observe/health").body().contains("route-files"));
        // the previous version still serves, with its typing
        HubClient.Reply r = client.get("/webhooks/call050?call_id=edit-2&duration=7");
        assertEquals(200, r.status());
        assertEquals(7, hub.lake().awaitRecord("call050", "edit-2").at("/payload/duration").asInt());

        drop("call050.yaml", good.replace("duration:int", "duration:decimal"));
        long deadline = System.currentTimeMillis() + 15_000;
        while (hub.management().get("/status.json").body().contains("call050.yaml") && System.currentTimeMillis() < deadline) {
            Lake.sleep(200);
        }
        assertTrue(hub.management().get("/status.json").json().get("route_file_problems").path("call050.yaml").isMissingNode(),
                "fixed: no problem left");
        awaitStatus("/webhooks/call050?call_id=edit-3&duration=7.5", 200, 10_000);
        assertEquals("7.5", hub.lake().awaitRecord("call050", "edit-3").at("/payload/duration").decimalValue().toPlainString());
    }

    /**
     * Vendors keep sending while their route file is replaced: every request is answered, with 200 or hookhub's 503 +
     * Retry-After (which vendors retry), promptly; never a 404, a bare 503 or a request left waiting (as stopping a
     * serving route gave).
     */
    @Test
    void requestsDuringAReloadAreAnsweredAndRetryable() throws Exception {
        String adbrix = Files.readString(hub.routesDir().resolve("adbrix.yaml"));
        drop("busy.yaml", adbrix.replace("adbrix", "busy"));
        assertEquals(200, awaitStatus("/webhooks/busy?adid=b0&event_name=buy", 200, 20_000).status());
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.List<java.util.concurrent.Future<java.util.List<String>>> results = new java.util.ArrayList<>();
        long until = System.currentTimeMillis() + 6_000;
        for (int t = 0; t < 4; t++) {
            int thread = t;
            results.add(senders.submit(() -> {
                java.util.List<String> odd = new java.util.ArrayList<>();
                for (int n = 0; System.currentTimeMillis() < until; n++) {
                    long sent = System.nanoTime();
                    HubClient.Reply r = client.get("/webhooks/busy?adid=b" + thread + "-" + n + "&event_name=buy");
                    long ms = (System.nanoTime() - sent) / 1_000_000;
                    if (ms > 5_000) {
                        odd.add("answered after " + ms + " ms: " + r.status());
                    }
                    boolean retryable = r.status() == 503 && "1".equals(r.header("Retry-After"))
                            && r.body().contains("source_reloading");
                    if (r.status() != 200 && !retryable) {
                        odd.add(r.status() + " " + r.body());
                    }
                }
                return odd;
            }));
        }
        for (int edit = 0; System.currentTimeMillis() < until - 500; edit++) {
            drop("busy.yaml", adbrix.replace("adbrix", "busy") + "\n# edit " + edit + "\n");
            Lake.sleep(400);
        }
        for (var f : results) {
            assertEquals(java.util.List.of(), f.get(), "replies other than 200 or a retryable 503 during reloads");
        }
        senders.shutdown();
        // every answered request left the gate: the last reload did not wait out its 30 s drain limit
        assertEquals(200, awaitStatus("/webhooks/busy?adid=after&event_name=buy", 200, 5_000).status());
    }

    /** A secret read with {{file:}} is rotated in place (as a Kubernetes secret mount does): the route follows. */
    @Test
    void aRotatedSecretFileReloadsTheRouteThatReadsIt() throws IOException {
        Path secret = hub.workDir().resolve("rotating-token");
        Files.writeString(secret, "old-token-1\n");
        String adbrix = Files.readString(hub.routesDir().resolve("adbrix.yaml"));
        drop("rotating.yaml", adbrix.replace("adbrix", "rotating").replace("{{env:HOOKHUB_ADBRIX_TOKEN:}}", "{{file:" + secret + "}}"));
        String event = "/webhooks/rotating?adid=rot1&event_name=buy&token=";
        assertEquals(200, awaitStatus(event + "old-token-1", 200, 20_000).status());

        Path staged = hub.workDir().resolve("rotating-token.new");
        Files.writeString(staged, "new-token-2\n");
        Files.move(staged, secret, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals(401, awaitStatus(event + "old-token-1", 401, 20_000).status(), "the old token is refused after the rotation");
        assertEquals(200, client.get(event + "new-token-2").status());
    }

    @Test
    void deletingARouteFileRetiresItsSource() throws IOException {
        String adbrix = Files.readString(hub.routesDir().resolve("adbrix.yaml"));
        drop("retiring.yaml", adbrix.replace("adbrix", "retiring"));
        assertEquals(200, awaitStatus("/webhooks/retiring?adid=r1", 200, 20_000).status());
        Files.delete(hub.routesDir().resolve("retiring.yaml"));
        HubClient.Reply gone = awaitStatus("/webhooks/retiring?adid=r2", 404, 20_000);
        assertEquals(404, gone.status(), gone.body());
        assertEquals("unknown_source", gone.json().get("error").asText());
        assertEquals(200, client.get("/webhooks/adbrix?adid=still-here").status());
    }

    @Test
    void aBrokenFileAtStartUpIsReportedWhileTheOtherSourcesStart(@org.junit.jupiter.api.io.TempDir Path other) throws IOException {
        TestHub second = TestHub.withShippedRoutes(other);
        Files.writeString(second.routesDir().resolve("zz-broken.yaml"), "- route:\n    id: zz\n    from:\n      uri: kamelet:hookhub-source\n"
                + "      parameters:\n        source: zz\n        types: \"n:nonsense\"\n      steps:\n        - to: direct:accept\n");
        try (LogCapture log = LogCapture.attach(); TestHub hub2 = second.start()) {
            assertTrue(log.all().matches("(?s).*zz-broken\\.yaml:7: .*nonsense.*"), log.all());
            assertEquals(200, hub2.client().get("/webhooks/call050?call_id=startup-ok").status());
            assertEquals(404, hub2.client().get("/webhooks/zz?x=1").status());
            assertTrue(hub2.management().get("/status.json").body().contains("zz-broken.yaml"));
        }
    }

    @Test
    void aBrokenRouteFileIsReportedAndEverySourceKeepsServing() throws IOException {
        try (LogCapture log = LogCapture.attach()) {
            drop("broken.yaml", "- route:\n    id: broken\n    from:\n      uri: kamelet:hookhub-source\n      parameters:\n"
                    + "        source: broken\n      steps:\n        - to: direct:accept\n    - this is: [not valid yaml\n");
            long deadline = System.currentTimeMillis() + 15_000;
            while (!log.all().contains("broken.yaml") && System.currentTimeMillis() < deadline) {
                Lake.sleep(200);
            }
            assertTrue(log.all().contains("broken.yaml"), "the log names the broken file:\n" + log.all());
        }
        assertEquals(200, client.get("/webhooks/call050?call_id=after-broken-file").status());
        assertEquals(200, client.send("adbrix_purchase_get.http").status());
        assertEquals(404, client.get("/webhooks/broken?x=1").status());
    }
}
