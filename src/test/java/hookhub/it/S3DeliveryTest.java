package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import hookhub.testinfra.S3ProxyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 sink against a real S3-compatible server (S3Proxy): layout, bytes, outages, a missing bucket. */
class S3DeliveryTest {

    @TempDir
    static Path work;
    static S3ProxyServer s3;

    @BeforeAll
    static void startS3() {
        AwsTestCredentials.install();
        s3 = new S3ProxyServer(S3ProxyServer.Mode.FILESYSTEM, 0, work.resolve("s3-data"), Duration.ofSeconds(60)).start();
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    private static TestHub hub(String name, String bucket) {
        return TestHub.withShippedRoutes(work.resolve(name)).set("hookhub.s3.bucket", bucket).set("hookhub.s3.prefix", "raw/webhooks")
                .set("hookhub.s3.endpoint", s3.endpoint()).set("hookhub.s3.path-style", "true")
                .set("hookhub.delivery.backoff-min", "200ms").set("hookhub.delivery.backoff-max", "2s");
    }

    private static Map<String, Integer> copies(List<JsonNode> records) {
        Map<String, Integer> n = new HashMap<>();
        records.forEach(r -> n.merge(r.get("source").asText() + "/" + r.get("id").asText(), 1, Integer::sum));
        return n;
    }

    @Test
    void objectsAreGzipNdjsonUnderHivePartitionsByEventTime() {
        try (S3Bucket bucket = new S3Bucket(s3, "layout").create(); TestHub hub = hub("layout", "layout").start()) {
            hub.client().send("call050_answered_utf8.http");
            hub.client().send("appsflyer_purchase_post.http");
            List<JsonNode> records = bucket.await(rs -> rs.size() >= 2, Duration.ofSeconds(30));
            assertEquals(2, records.size());
            List<String> keys = bucket.keys();
            assertTrue(keys.stream().anyMatch(k -> k.matches(
                    "raw/webhooks/source=call050/dt=2025-11-03/hour=01/part-\\d{12}-\\d{12}\\.ndjson\\.gz")), keys.toString());
            assertTrue(keys.stream().anyMatch(k -> k.startsWith("raw/webhooks/source=appsflyer/dt=2025-11-03/hour=01/")), keys.toString());
            S3Bucket.StoredObject o = bucket.get(keys.get(0));
            assertEquals("gzip", o.head().contentEncoding());
            assertEquals("application/x-ndjson", o.head().contentType());
            assertEquals((byte) 0x1f, o.body()[0], "stored bytes are the gzip stream itself");
            // the local lake keeps working as a sink of its own
            hub.lake().awaitRecord("call050", "20251103101500-050799990001-000777");
        }
    }

    @Test
    void anOutageOfThirtySecondsDuringTrafficLosesNothingAndDoublesNothing() {
        try (S3Bucket bucket = new S3Bucket(s3, "outage").create(); TestHub hub = hub("outage", "outage").start()) {
            Traffic before = new Traffic().send(0, 200, 8, i -> hub.client());
            bucket.await(rs -> rs.size() >= 200, Duration.ofSeconds(30));

            s3.stop();
            long outageEnds = System.currentTimeMillis() + 30_000;
            int next = 200;
            while (System.currentTimeMillis() < outageEnds) {
                Traffic during = new Traffic().send(next, next + 50, 8, i -> hub.client());
                assertEquals(50, during.acknowledged.size(), "accepting goes on during the outage: " + during.firstFailure);
                next += 50;
                Lake.sleep(1000);
            }
            JsonNode health = hub.management().get("/observe/health?data=true").json();
            assertTrue(health.toString().contains("\"sink-s3\"") && health.toString().contains("degraded"), health.toString());
            assertEquals(200, hub.management().get("/observe/health/ready").status(), "a sink outage never makes the hub unready");
            s3.start();

            int total = next;
            List<JsonNode> records = bucket.await(rs -> rs.size() >= total, Duration.ofSeconds(60));
            Lake.sleep(1500);
            records = bucket.records();
            Map<String, Integer> copies = copies(records);
            for (String id : Traffic.allIds(total)) {
                assertEquals(1, copies.getOrDefault("call050/" + id, 0), id);
            }
            assertEquals(total, records.size());
            assertEquals(before.acknowledged.size(), 200);
        }
    }

    @Test
    void aMissingBucketNeverStopsTheHubAndEventsWaitUntilItExists() {
        try (S3Bucket bucket = new S3Bucket(s3, "late-bucket"); TestHub hub = hub("late", "late-bucket").start()) {
            assertEquals(200, hub.client().send("call050_missed.http").status());
            Lake.sleep(2000);
            assertTrue(hub.management().get("/observe/health?data=true").body().contains("degraded"));
            bucket.create();
            List<JsonNode> records = bucket.await(rs -> rs.size() >= 1, Duration.ofSeconds(30));
            assertEquals("20251103111000-050799990001-000778", records.get(0).get("id").asText());
        }
    }
}
