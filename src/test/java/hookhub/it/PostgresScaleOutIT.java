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
 * Two hub processes on one PostgreSQL behind a (simulated) load balancer. One is killed with SIGKILL mid-stream;
 * vendors resend everything, each event to the OTHER instance than the first time. Every event must end up in the
 * shared lake exactly once: the dead instance's claimed batches are re-claimed whole after their lease ran out.
 */
class PostgresScaleOutIT {

    static final int EVENTS = 2000;

    @TempDir
    Path work;

    @Test
    void twoInstancesOnePostgresStillExactlyOnceAcrossKill9() throws Exception {
        String url = PostgresTestDb.freshSchemaUrl();
        Path lake = work.resolve("shared-lake");
        try (HubProcess a = instance("a", url, lake); HubProcess b = instance("b", url, lake)) {
            a.start();
            b.start();
            HubClient[] hubs = {a.client(), b.client()};

            Traffic first = new Traffic();
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> first.send(0, EVENTS, 32, i -> hubs[i % 2]));
            while (first.acknowledged.size() < EVENTS / 3) {
                Lake.sleep(5);
            }
            a.kill9();
            load.get();
            assertTrue(first.failures.get() > 0, "instance a died mid-stream");

            a.start();
            Traffic second = new Traffic().send(0, EVENTS, 32, i -> hubs[(i + 1) % 2]);
            assertEquals(0, second.failures.get(), "every resend is answered 2xx");

            List<JsonNode> records = new Lake(lake).await(rs -> rs.size() >= EVENTS, Duration.ofSeconds(90));
            Lake.sleep(4000); // longer than the lease: a re-claimed batch would show up now
            records = new Lake(lake).records();
            Map<String, Integer> copies = new HashMap<>();
            records.forEach(r -> copies.merge(r.get("id").asText(), 1, Integer::sum));
            for (String id : Traffic.allIds(EVENTS)) {
                assertEquals(1, copies.getOrDefault(id, 0), "copies of " + id);
            }
            assertEquals(EVENTS, records.size());
        }
    }

    private HubProcess instance(String name, String url, Path lake) {
        return new HubProcess(work.resolve(name))
                .env("HOOKHUB_STORE_URL", url)
                .env("HOOKHUB_STORE_USER", PostgresTestDb.user())
                .env("HOOKHUB_LAKE_DIR", lake.toString())
                .env("HOOKHUB_DELIVERY_LEASE", "3s");
    }
}
