package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hookhub.testinfra.FirehoseTestServer;
import hookhub.testinfra.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub jar delivering to S3 (S3Proxy) and Firehose (the AWS-protocol test server): killed with SIGKILL while
 * delivering, then restarted; and dead letters replayed with the replay command.
 */
class SinkCrashAndReplayIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private HubProcess hub(S3ProxyServer s3, String bucket, FirehoseTestServer firehose, String stream) {
        return new HubProcess(work.resolve("hub"))
                .env("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY).env("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY)
                .env("HOOKHUB_S3_BUCKET", bucket).env("HOOKHUB_S3_ENDPOINT", s3.endpoint()).env("HOOKHUB_S3_PATH_STYLE", "true")
                .env("HOOKHUB_FIREHOSE_STREAM", stream).env("HOOKHUB_FIREHOSE_ENDPOINT", firehose.endpoint())
                .env("HOOKHUB_DELIVERY_BACKOFF_MIN", "200ms").env("HOOKHUB_DELIVERY_BACKOFF_MAX", "1s");
    }

    private static Map<String, Integer> firehoseCopies(FirehoseTestServer firehose, String stream) {
        Map<String, Integer> copies = new HashMap<>();
        for (String record : firehose.recordsAsStrings(stream)) {
            for (String line : record.split("\n")) {
                try {
                    copies.merge(JSON.readTree(line).get("id").asText(), 1, Integer::sum);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return copies;
    }

    @Test
    void kill9DuringDeliveryLeavesEachEventOnceInS3AndAtLeastOnceWithItsIdInFirehose() throws Exception {
        int events = 2000;
        try (S3ProxyServer s3 = new S3ProxyServer(S3ProxyServer.Mode.FILESYSTEM, 0, work.resolve("s3"), Duration.ofSeconds(60)).start();
                S3Bucket bucket = new S3Bucket(s3, "crash").create();
                FirehoseTestServer firehose = new FirehoseTestServer().createStream("crash").start(0);
                HubProcess hub = hub(s3, "crash", firehose, "crash").env("HOOKHUB_BATCH_MAX_RECORDS", "100")
                        .env("HOOKHUB_FIREHOSE_BATCH_MAX_RECORDS", "100").start()) {
            firehose.latency(Duration.ofMillis(20)); // keeps deliveries in flight when the kill comes
            Traffic first = new Traffic();
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> first.send(0, events, 16, i -> hub.client()));
            while (firehoseCopies(firehose, "crash").size() < events / 4) {
                Lake.sleep(5);
            }
            hub.kill9(); // deliveries to both sinks are in flight now
            load.get();
            hub.start();
            Traffic second = new Traffic().send(0, events, 16, i -> hub.client());
            assertEquals(0, second.failures.get(), second.firstFailure);

            List<JsonNode> records = bucket.await(rs -> rs.size() >= events, Duration.ofSeconds(90));
            long deadline = System.currentTimeMillis() + 60_000;
            while (firehoseCopies(firehose, "crash").size() < events && System.currentTimeMillis() < deadline) {
                Lake.sleep(200);
            }
            Lake.sleep(1500);
            records = bucket.records();
            Map<String, Integer> inS3 = new HashMap<>();
            records.forEach(r -> inS3.merge(r.get("id").asText(), 1, Integer::sum));
            Map<String, Integer> inFirehose = firehoseCopies(firehose, "crash");
            int repeats = 0;
            for (String id : Traffic.allIds(events)) {
                assertEquals(1, inS3.getOrDefault(id, 0), "S3 copies of " + id);
                int n = inFirehose.getOrDefault(id, 0);
                assertTrue(n >= 1, "Firehose has " + id);
                repeats += n - 1;
            }
            assertEquals(events, records.size());
            // a repeat can only come from the one batch in flight at the kill
            assertTrue(repeats <= 100, repeats + " Firehose repeats");
        }
    }

    @Test
    void deadLettersAreListedAndReplayedWithoutDuplicates() throws Exception {
        try (S3ProxyServer s3 = new S3ProxyServer(S3ProxyServer.Mode.TRANSIENT).start();
                S3Bucket bucket = new S3Bucket(s3, "replay");
                FirehoseTestServer firehose = new FirehoseTestServer().createStream("replay").start(0);
                HubProcess hub = hub(s3, "replay", firehose, "replay").env("HOOKHUB_DELIVERY_MAX_ATTEMPTS", "2").start()) {
            new Traffic().send(0, 50, 4, i -> hub.client());
            String listing = hub.runCommand("dead-letters", "--sink", "s3");
            long deadline = System.currentTimeMillis() + 30_000;
            while (!listing.contains("50 dead letters") && System.currentTimeMillis() < deadline) {
                Lake.sleep(500);
                listing = hub.runCommand("dead-letters", "--sink", "s3");
            }
            assertTrue(listing.contains("s3\tcall050\t50"), listing);
            assertTrue(listing.contains("NoSuchBucket"), listing);
            assertEquals(50, firehoseCopies(firehose, "replay").size(), "the other sinks were not held back");

            bucket.create();
            String replayed = hub.runCommand("replay", "--sink", "s3", "--source", "call050");
            assertTrue(replayed.contains("replayed 50 dead letters"), replayed);
            List<JsonNode> records = bucket.await(rs -> rs.size() >= 50, Duration.ofSeconds(30));
            Lake.sleep(1500);
            assertEquals(50, bucket.records().size(), "replay adds no copies");
            assertTrue(hub.runCommand("dead-letters", "--sink", "s3").contains("0 dead letters"));
            firehoseCopies(firehose, "replay").forEach((id, n) -> assertEquals(1, n, id));
            assertEquals(50, records.size());
        }
    }
}
