package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What platform engineers watch: Prometheus metrics, health, and the status page rendered by a real browser. */
class OperationsTest {

    @TempDir
    static Path work;
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.withShippedRoutes(work).start();
        HubClient c = hub.client();
        c.send("call050_answered_utf8.http");
        c.send("call050_answered_euckr.http");
        c.send("call050_missed.http");
        c.send("appsflyer_purchase_post.http");
        c.post("/webhooks/call050", "application/json", "{broken".getBytes(StandardCharsets.UTF_8));
        c.get("/webhooks/nosuchsource?x=1");
        hub.lake().await(rs -> rs.size() >= 3, java.time.Duration.ofSeconds(30));
        Lake.sleep(1500); // one backlog refresh
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void prometheusMetricsCountEventsRejectionsDeliveriesAndBacklog() {
        HubClient.Reply r = hub.management().get("/observe/metrics");
        assertEquals(200, r.status());
        String m = r.body();
        for (String expected : List.of(
                "hookhub_events_accepted_total{source=\"call050\"} 2.0",
                "hookhub_events_duplicate_total{source=\"call050\"} 1.0",
                "hookhub_events_accepted_total{source=\"appsflyer\"} 1.0",
                "hookhub_requests_rejected_total{reason=\"invalid_json\",source=\"call050\"} 1.0",
                "hookhub_requests_rejected_total{reason=\"unknown_source\",source=\"unknown\"} 1.0",
                "hookhub_sink_delivered_events_total{sink=\"lake\"} 3.0",
                "hookhub_store_backlog_events{sink=\"lake\"} 0.0",
                "hookhub_store_dead_letters{sink=\"lake\"} 0.0",
                "hookhub_request_duration_seconds_bucket{outcome=\"accepted\",source=\"call050\"",
                "hookhub_sink_lag_seconds_bucket{sink=\"lake\",le=",
                "hookhub_sink_batch_duration_seconds_count{sink=\"lake\"}",
                "hookhub_store_commits_total",
                "hookhub_store_task_duration_seconds_count{task=\"backlog\"}",
                "hookhub_store_task_duration_seconds_count{task=\"bodies\"}",
                "hookhub_store_task_duration_seconds_count{task=\"free-space\"}",
                "jvm_memory_used_bytes")) {
            assertTrue(m.contains(expected), "missing " + expected);
        }
        double commits = m.lines().filter(l -> l.startsWith("hookhub_store_commits_total")).mapToDouble(
                l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
        assertTrue(commits >= 1, "the commit counter follows the store: " + commits);
        double storeFile = m.lines().filter(l -> l.startsWith("hookhub_store_file_bytes{file=\"store\"}")).mapToDouble(
                l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
        assertTrue(storeFile >= 4096, "the store file's size on disk: " + storeFile);
        assertTrue(m.contains("hookhub_store_file_bytes{file=\"wal\"}"), "and its write-ahead log's");
    }

    @Test
    void healthHasLivenessReadinessAndEachSink() {
        assertEquals(200, hub.management().get("/observe/health/live").status());
        HubClient.Reply ready = hub.management().get("/observe/health/ready");
        assertEquals(200, ready.status());
        assertTrue(ready.body().contains("\"http-listener\"") && ready.body().contains("\"store\""), "readiness = listener + store: " + ready.body());
        String all = hub.management().get("/observe/health?data=true").body();
        assertTrue(all.contains("\"sink-lake\"") && all.contains("\"store\""), all);
    }

    @Test
    void statusJsonCarriesTheFiguresPerSourceAndSink() {
        JsonNode s = hub.management().get("/status.json").json();
        JsonNode call050 = null;
        for (JsonNode n : s.get("sources")) {
            if (n.get("source").asText().equals("call050")) {
                call050 = n;
            }
        }
        assertEquals(2, call050.get("accepted").asInt());
        assertEquals(1, call050.get("duplicates").asInt());
        assertEquals(1, call050.get("rejected").asInt());
        assertEquals("invalid_json", call050.get("last_error").asText());
        assertTrue(call050.get("last_event").asText().startsWith("20"));
        assertEquals("lake", s.at("/sinks/0/sink").asText());
        assertEquals(3, s.at("/sinks/0/delivered").asInt());
    }

    @Test
    void theStatusPageRendersTheNumbersInHeadlessChromium() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium), "Debian's chromium is not installed (.ci/run installs it)");
        Path profile = Files.createTempDirectory(work, "chromium");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom",
                "http://127.0.0.1:" + hub.managementPort() + "/status").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
        assertTrue(dom.contains("updated 20"), "the page loaded its figures:\n" + dom);
        String row = rowOf(dom, "call050");
        assertTrue(row.contains(">2<") && row.contains(">1<") && row.contains("invalid_json"), row);
        assertTrue(rowOf(dom, "lake").contains(">3<"), rowOf(dom, "lake"));
    }

    private static String rowOf(String dom, String name) {
        int at = dom.indexOf("data-name=\"" + name + "\"");
        assertTrue(at >= 0, "no row for " + name);
        return dom.substring(at, dom.indexOf("</tr>", at));
    }

}
