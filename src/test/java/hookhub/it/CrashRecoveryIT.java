package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise under kill -9: the hub jar takes a few thousand events from many threads, is killed with SIGKILL in
 * the middle, restarts, and gets everything again (acknowledged or not, as vendors would resend). Every event must
 * then be in the lake exactly once, and every event acknowledged before the crash must be known as a duplicate.
 */
class CrashRecoveryIT {

    static final int EVENTS = 3000;

    @TempDir
    Path work;

    @Test
    void noAcknowledgedEventIsLostAndNoneIsDoubledAcrossKill9() throws Exception {
        try (HubProcess hub = new HubProcess(work)) {
            hub.start();
            HubClient client = hub.client();

            Traffic first = new Traffic();
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> first.send(0, EVENTS, 32, i -> client));
            while (first.acknowledged.size() < EVENTS / 3) {
                Lake.sleep(5);
            }
            hub.kill9(); // mid-stream: requests in flight, batches half-delivered, a group commit in progress
            load.get();
            int acknowledgedBeforeCrash = first.acknowledged.size();
            assertTrue(acknowledgedBeforeCrash >= EVENTS / 3 && acknowledgedBeforeCrash < EVENTS,
                    "the crash must happen mid-stream: " + acknowledgedBeforeCrash);

            hub.start();
            Traffic second = new Traffic().send(0, EVENTS, 32, i -> client);
            assertEquals(0, second.failures.get(), "after the restart every resend is answered 2xx");

            // an acknowledged event was stored: its resend must be a duplicate, never a second acceptance
            for (String id : first.acknowledged.stream().limit(200).toList()) {
                int n = Integer.parseInt(id.substring("crash-".length()));
                HubClient.Reply again = client.post("/webhooks/call050/crash", "application/x-www-form-urlencoded; charset=UTF-8",
                        Traffic.callReport(n));
                assertEquals("duplicate", again.json().get("status").asText(), id);
            }

            List<JsonNode> records = hub.lake().await(rs -> rs.size() >= EVENTS, Duration.ofSeconds(60));
            Lake.sleep(1500); // let any late batch land: nothing more may appear
            records = hub.lake().records();
            Map<String, Integer> copies = new HashMap<>();
            for (JsonNode r : records) {
                copies.merge(r.get("id").asText(), 1, Integer::sum);
            }
            for (String id : Traffic.allIds(EVENTS)) {
                assertEquals(1, copies.getOrDefault(id, 0), "copies of " + id + " in the lake");
            }
            assertEquals(EVENTS, records.size(), "nothing else and nothing twice");
        }
    }
}
