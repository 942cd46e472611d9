package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hookhub.testinfra.FirehoseTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Firehose sink against a server speaking the real AWS JSON 1.1 protocol, with partial failures, throttling and
 * oversize records injected.
 */
class FirehoseDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    static FirehoseTestServer firehose;

    @BeforeAll
    static void startFirehose() {
        AwsTestCredentials.install();
        firehose = new FirehoseTestServer().createStream("partial").createStream("throttled").createStream("oversize")
                .createStream("packed").start(0);
    }

    @AfterAll
    static void stopFirehose() {
        firehose.close();
    }

    private static TestHub hub(String stream) {
        return TestHub.withShippedRoutes(work.resolve(stream)).set("hookhub.firehose.stream", stream)
                .set("hookhub.firehose.endpoint", firehose.endpoint()).set("hookhub.delivery.backoff-min", "200ms")
                .set("hookhub.delivery.backoff-max", "1s");
    }

    /** Every captured Firehose record is newline-terminated JSON lines; returns copies per event id. */
    private static Map<String, Integer> delivered(String stream) {
        Map<String, Integer> copies = new HashMap<>();
        for (String record : firehose.recordsAsStrings(stream)) {
            assertTrue(record.endsWith("\n"), "records are newline-terminated");
            for (String line : record.split("\n")) {
                try {
                    copies.merge(JSON.readTree(line).get("id").asText(), 1, Integer::sum);
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return copies;
    }

    private static Map<String, Integer> awaitDelivered(String stream, int events) {
        long deadline = System.currentTimeMillis() + 60_000;
        Map<String, Integer> copies = delivered(stream);
        while (copies.size() < events && System.currentTimeMillis() < deadline) {
            Lake.sleep(200);
            copies = delivered(stream);
        }
        Lake.sleep(1000);
        return delivered(stream);
    }

    @Test
    void partialFailuresOnEveryCallStillDeliverEveryRecordExactlyOnce() {
        firehose.failEveryKthRecord(3, Integer.MAX_VALUE);
        try (TestHub hub = hub("partial").start()) {
            Traffic t = new Traffic().send(0, 1200, 16, i -> hub.client());
            assertEquals(1200, t.acknowledged.size());
            Map<String, Integer> copies = awaitDelivered("partial", 1200);
            for (String id : Traffic.allIds(1200)) {
                assertEquals(1, copies.getOrDefault(id, 0), id);
            }
            assertTrue(firehose.failedEntries() > 0, "failures were injected");
        } finally {
            firehose.failEveryKthRecord(0, 0);
        }
    }

    @Test
    void throttledCallsAreRetriedWithoutLossOrRepeat() {
        firehose.failNextCalls(12);
        try (TestHub hub = hub("throttled").start()) {
            new Traffic().send(0, 300, 8, i -> hub.client());
            Map<String, Integer> copies = awaitDelivered("throttled", 300);
            assertEquals(300, copies.size());
            copies.forEach((id, n) -> assertEquals(1, n, id));
        }
    }

    @Test
    void aRecordOverTheLimitIsADeadLetterAndNeverBlocksItsBatch() {
        try (TestHub hub = hub("oversize").set("hookhub.firehose.batch.max-age", "2s").start()) {
            char[] big = new char[1_030_000];
            Arrays.fill(big, 'x');
            byte[] body = ("{\"call_id\":\"too-big\",\"blob\":\"" + new String(big) + "\"}").getBytes(StandardCharsets.UTF_8);
            assertEquals(200, hub.client().post("/webhooks/call050", "application/json", body).status());
            new Traffic().send(0, 20, 4, i -> hub.client());
            Map<String, Integer> copies = awaitDelivered("oversize", 20);
            assertEquals(20, copies.size(), "the small events of the same batch are delivered");
            assertTrue(!copies.containsKey("too-big"));
            JsonNode health = hub.management().get("/observe/health?data=true").json();
            JsonNode sink = null;
            for (JsonNode c : health.get("checks")) {
                if (c.get("name").asText().equals("sink-firehose")) {
                    sink = c;
                }
            }
            assertEquals(1, sink.at("/data/dead_letters").asInt(), health.toString());
            hub.lake().awaitRecord("call050", "too-big"); // other sinks are not affected
        }
    }

    @Test
    void packingPutsSeveralEventsInOneRecord() {
        try (TestHub hub = hub("packed").set("hookhub.firehose.pack-bytes", "4KiB").start()) {
            new Traffic().send(0, 100, 4, i -> hub.client());
            Map<String, Integer> copies = awaitDelivered("packed", 100);
            assertEquals(100, copies.size());
            copies.forEach((id, n) -> assertEquals(1, n, id));
            List<byte[]> records = firehose.records("packed");
            assertTrue(records.size() < 100, records.size() + " records for 100 events");
            records.forEach(r -> assertTrue(r.length <= 4096, "a packed record stays within pack-bytes"));
        }
    }
}
