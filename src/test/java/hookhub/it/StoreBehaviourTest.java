package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance on the embedded store: atomic dedup under concurrency, group commit, backpressure and the window. */
class StoreBehaviourTest {

    @TempDir
    Path work;

    private static JsonNode storeHealth(TestHub hub) {
        JsonNode health = hub.management().get("/observe/health?data=true").json();
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals("store")) {
                return check;
            }
        }
        throw new AssertionError("no store check in " + health);
    }

    @Test
    void identicalRequestsInFlightAtOnceAreAcceptedExactlyOnce() throws Exception {
        try (TestHub hub = TestHub.withShippedRoutes(work).start()) {
            for (int round = 0; round < 5; round++) {
                byte[] body = ("call_id=race-" + round + "&caller=01000000000").getBytes(StandardCharsets.US_ASCII);
                ExecutorService pool = Executors.newFixedThreadPool(32);
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<String>> replies = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    replies.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return hub.client().post("/webhooks/call050", "application/x-www-form-urlencoded", body).json()
                                .get("status").asText();
                    }, pool));
                }
                go.countDown();
                long accepted = replies.stream().map(CompletableFuture::join).filter("accepted"::equals).count();
                long duplicate = replies.stream().map(CompletableFuture::join).filter("duplicate"::equals).count();
                pool.shutdown();
                assertEquals(1, accepted, "round " + round);
                assertEquals(31, duplicate, "round " + round);
            }
        }
    }

    @Test
    void concurrentRequestsShareCommits() {
        try (TestHub hub = TestHub.withShippedRoutes(work).start()) {
            long groupsBefore = storeHealth(hub).at("/data/groups_committed").asLong();
            long eventsBefore = storeHealth(hub).at("/data/events_committed").asLong();
            Traffic t = new Traffic().send(0, 2000, 64, i -> hub.client());
            assertEquals(2000, t.acknowledged.size(), t.firstFailure);
            long groups = storeHealth(hub).at("/data/groups_committed").asLong() - groupsBefore;
            long events = storeHealth(hub).at("/data/events_committed").asLong() - eventsBefore;
            assertEquals(2000, events);
            assertTrue(groups < events / 2, "group commit: " + events + " events took " + groups + " commits");
        }
    }

    @Test
    void backlogLimitAnswers503WithRetryAfterAndRecoversByItself() throws Exception {
        Path lakeDir = work.resolve("lake-is-a-file");
        Files.writeString(lakeDir, "the lake cannot be written while this is a file");
        try (TestHub hub = TestHub.withShippedRoutes(work).set("hookhub.store.max-backlog", "5")
                .set("hookhub.lake.dir", lakeDir.toString()).set("hookhub.delivery.backoff-min", "100ms")
                .set("hookhub.delivery.backoff-max", "500ms").start()) {
            for (int i = 0; i < 5; i++) {
                assertEquals(200, hub.client().get("/webhooks/call050?call_id=bp-" + i).status());
            }
            HubClient.Reply refused = null;
            for (int i = 0; i < 50 && refused == null; i++) {
                HubClient.Reply r = hub.client().get("/webhooks/call050?call_id=bp-more-" + i);
                if (r.status() == 503) {
                    refused = r;
                }
                Lake.sleep(100);
            }
            assertNotNull(refused, "the backlog limit must refuse new events");
            assertEquals("overloaded", refused.json().get("error").asText());
            assertTrue(Integer.parseInt(refused.header("Retry-After")) > 0);
            assertEquals("DOWN", storeHealth(hub).get("status").asText());
            assertEquals(503, hub.management().get("/observe/health/ready").status());

            Files.delete(lakeDir); // the sink recovers: the backlog drains and events are taken again
            HubClient.Reply later = null;
            for (int i = 0; i < 100; i++) {
                later = hub.client().get("/webhooks/call050?call_id=bp-after");
                if (later.status() == 200) {
                    break;
                }
                Lake.sleep(200);
            }
            assertEquals(200, later.status(), later.body());
            assertEquals("UP", storeHealth(hub).get("status").asText());
        }
    }

    @Test
    void tooLittleFreeDiskAnswers503BeforeAnythingIsStored() {
        try (TestHub hub = TestHub.withShippedRoutes(work).set("hookhub.store.min-free-disk", "1000000GiB").start()) {
            HubClient.Reply r = hub.client().get("/webhooks/call050?call_id=disk-1");
            assertEquals(503, r.status(), r.body());
            assertEquals("overloaded", r.json().get("error").asText());
            assertTrue(r.json().get("message").asText().contains("free disk"));
            assertNotNull(r.header("Retry-After"));
            Lake.sleep(1000);
            assertTrue(hub.lake().records().isEmpty(), "nothing was accepted");
        }
    }

    @Test
    void keysAreForgottenAfterTheWindowAndBodiesOnceDelivered() throws Exception {
        try (TestHub hub = TestHub.withShippedRoutes(work).set("hookhub.dedup.window", "2s")
                .set("hookhub.dedup.purge-interval", "500ms").start()) {
            assertEquals("accepted", hub.client().get("/webhooks/call050?call_id=win-1").json().get("status").asText());
            assertEquals("duplicate", hub.client().get("/webhooks/call050?call_id=win-1").json().get("status").asText());
            hub.lake().awaitRecord("call050", "win-1");
            long bodyDeadline = System.currentTimeMillis() + 5_000; // the body reaper runs every second
            while (count(hub, "SELECT COUNT(*) FROM hookhub_bodies b JOIN hookhub_events e ON e.seq = b.seq WHERE e.id = 'win-1'") > 0
                    && System.currentTimeMillis() < bodyDeadline) {
                Lake.sleep(100);
            }
            assertEquals(0, count(hub, "SELECT COUNT(*) FROM hookhub_bodies b JOIN hookhub_events e ON e.seq = b.seq WHERE e.id = 'win-1'"),
                    "the body is dropped once every sink has the event");
            assertEquals(1, count(hub, "SELECT COUNT(*) FROM hookhub_events WHERE id = 'win-1'"), "the key stays for dedup");
            long deadline = System.currentTimeMillis() + 15_000;
            while (count(hub, "SELECT COUNT(*) FROM hookhub_events WHERE id = 'win-1'") > 0 && System.currentTimeMillis() < deadline) {
                Lake.sleep(200);
            }
            assertEquals("accepted", hub.client().get("/webhooks/call050?call_id=win-1").json().get("status").asText(),
                    "after the window the key is gone");
        }
    }

    @Test
    void aStoreFromBeforeTheBodiesTableIsUpgradedAndItsWaitingEventsDelivered() throws Exception {
        // the layout hookhub used before hookhub_bodies: the body in hookhub_events.record, a full batch index, the
        // pending rows keyed (sink, seq) with dead letters among them
        Path db = work.resolve("data").resolve("hookhub.db");
        Files.createDirectories(db.getParent());
        long now = System.currentTimeMillis();
        String line = "{\"id\":\"old-1\",\"source\":\"call050\",\"received_at\":\"2026-11-25T00:00:00Z\","
                + "\"payload\":{\"call_id\":\"old-1\"},\"meta\":{\"warnings\":[]}}";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE hookhub_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, source VARCHAR(100) NOT NULL,"
                    + " id VARCHAR(300) NOT NULL, received_at BIGINT NOT NULL, partition_at BIGINT NOT NULL, record TEXT,"
                    + " CONSTRAINT hookhub_events_key UNIQUE (source, id))");
            st.execute("CREATE TABLE hookhub_pending (sink VARCHAR(32) NOT NULL, seq BIGINT NOT NULL, source VARCHAR(100) NOT NULL,"
                    + " received_at BIGINT NOT NULL, bytes INTEGER NOT NULL, batch VARCHAR(80), lease_until BIGINT NOT NULL DEFAULT 0,"
                    + " attempts INTEGER NOT NULL DEFAULT 0, next_at BIGINT NOT NULL DEFAULT 0, dead SMALLINT NOT NULL DEFAULT 0,"
                    + " last_error TEXT, PRIMARY KEY (sink, seq))");
            st.execute("CREATE INDEX hookhub_pending_batch ON hookhub_pending (sink, batch)");
            st.execute("INSERT INTO hookhub_events (source, id, received_at, partition_at, record) VALUES ('call050', 'old-1', "
                    + now + ", " + now + ", '" + line + "')");
            st.execute("INSERT INTO hookhub_events (source, id, received_at, partition_at, record) VALUES ('call050', 'old-2', "
                    + now + ", " + now + ", NULL)"); // delivered before the upgrade: only its key is left
            st.execute("INSERT INTO hookhub_pending (sink, seq, source, received_at, bytes) VALUES ('lake', 1, 'call050', " + now
                    + ", " + line.length() + ")");
            st.execute("INSERT INTO hookhub_events (source, id, received_at, partition_at, record) VALUES ('call050', 'dead-1', "
                    + now + ", " + now + ", '" + line.replace("old-1", "dead-1") + "')");
            st.execute("INSERT INTO hookhub_pending (sink, seq, source, received_at, bytes, batch, attempts, dead, last_error)"
                    + " VALUES ('lake', 3, 'call050', " + now + ", " + line.length() + ", '000000000003-000000000003', 100, 1, 'disk full')");
        }
        try (TestHub hub = TestHub.withShippedRoutes(work).start()) {
            assertEquals("old-1", hub.lake().awaitRecord("call050", "old-1").path("payload").path("call_id").asText(),
                    "the event that waited in the old layout is delivered");
            assertEquals("duplicate", hub.client().get("/webhooks/call050?call_id=old-2").json().get("status").asText(),
                    "keys stored before the upgrade still deduplicate");
            assertEquals("accepted", hub.client().get("/webhooks/call050?call_id=new-1").json().get("status").asText());
            hub.lake().awaitRecord("call050", "new-1");
            assertEquals(0, count(hub, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'hookhub_pending_batch'"),
                    "the old full batch index is replaced by the partial one");
            assertEquals(0, count(hub, "SELECT COUNT(*) FROM hookhub_events WHERE record IS NOT NULL"), "no body is left in the old column");
            assertEquals(2, count(hub, "SELECT pk FROM pragma_table_info('hookhub_pending') WHERE name = 'dead'"),
                    "pending rows are keyed (sink, dead, seq) now");
            assertEquals(1, count(hub, "SELECT COUNT(*) FROM hookhub_pending WHERE sink = 'lake' AND dead = 1 AND last_error = 'disk full'"),
                    "the dead letter is kept through the re-keying");
            assertEquals(1, count(hub, "SELECT COUNT(*) FROM hookhub_bodies WHERE seq = 3"), "with its body, for a replay");
            assertEquals(1, count(hub, "SELECT COUNT(*) FROM hookhub_pending WHERE sink = 'lake' AND dead = 1 AND seq = 3 AND last_seq = 3"
                    + " AND seg = 0 AND events = 1"), "as a row of one event");
        }
    }

    @Test
    void aStoreWithOneRowPerEventIsUpgradedToRanges() throws Exception {
        // the layout before ranges: one pending row per (sink, event) keyed (sink, dead, seq), bodies without seg;
        // event 1 waits for the lake, 2 and 3 are a claimed lake batch whose instance died, 4 is a dead letter
        Path db = work.resolve("data").resolve("hookhub.db");
        Files.createDirectories(db.getParent());
        long now = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE hookhub_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, source VARCHAR(100) NOT NULL,"
                    + " id VARCHAR(300) NOT NULL, received_at BIGINT NOT NULL, partition_at BIGINT NOT NULL,"
                    + " CONSTRAINT hookhub_events_key UNIQUE (source, id))");
            st.execute("CREATE TABLE hookhub_bodies (seq INTEGER PRIMARY KEY, record TEXT NOT NULL)");
            st.execute("CREATE TABLE hookhub_pending (sink VARCHAR(32) NOT NULL, seq BIGINT NOT NULL, source VARCHAR(100) NOT NULL,"
                    + " received_at BIGINT NOT NULL, bytes INTEGER NOT NULL, batch VARCHAR(80), lease_until BIGINT NOT NULL DEFAULT 0,"
                    + " attempts INTEGER NOT NULL DEFAULT 0, next_at BIGINT NOT NULL DEFAULT 0, dead SMALLINT NOT NULL DEFAULT 0,"
                    + " last_error TEXT, PRIMARY KEY (sink, dead, seq)) WITHOUT ROWID");
            st.execute("CREATE INDEX hookhub_pending_inflight ON hookhub_pending (sink, batch) WHERE batch IS NOT NULL AND dead = 0");
            st.execute("CREATE INDEX hookhub_pending_live ON hookhub_pending (dead, seq)");
            for (int i = 1; i <= 4; i++) {
                String id = "runs-" + i;
                String line = "{\"id\":\"" + id + "\",\"source\":\"call050\",\"received_at\":\"2026-11-25T00:00:00Z\","
                        + "\"payload\":{\"call_id\":\"" + id + "\"},\"meta\":{\"warnings\":[]}}";
                st.execute("INSERT INTO hookhub_events (source, id, received_at, partition_at) VALUES ('call050', '" + id + "', " + now
                        + ", " + now + ")");
                st.execute("INSERT INTO hookhub_bodies (seq, record) VALUES (" + i + ", '" + line + "')");
                String batch = i == 2 || i == 3 ? "'000000000002-000000000003'" : i == 4 ? "'000000000004-000000000004'" : "NULL";
                st.execute("INSERT INTO hookhub_pending (sink, seq, source, received_at, bytes, batch, lease_until, attempts, dead, last_error)"
                        + " VALUES ('lake', " + i + ", 'call050', " + now + ", " + line.length() + ", " + batch + ", "
                        + (i == 2 || i == 3 ? now + 3_600_000 : 0) + ", " + (i == 4 ? 100 : 1) + ", " + (i == 4 ? 1 : 0) + ", "
                        + (i == 4 ? "'disk full'" : "NULL") + ")");
            }
        }
        try (TestHub hub = TestHub.withShippedRoutes(work).start()) {
            for (String id : List.of("runs-1", "runs-2", "runs-3")) {
                hub.lake().awaitRecord("call050", id);
            }
            assertEquals("duplicate", hub.client().get("/webhooks/call050?call_id=runs-4").json().get("status").asText());
            assertEquals(1, count(hub, "SELECT COUNT(*) FROM hookhub_pending WHERE sink = 'lake' AND dead = 1 AND seq = 4 AND last_seq = 4"
                    + " AND seg = 0 AND events = 1 AND last_error = 'disk full'"), "the dead letter is a row of one event now");
            assertEquals(4, count(hub, "SELECT claimed_up_to FROM hookhub_cursors WHERE sink = 'lake'"),
                    "new events are the ones after the newest stored before the upgrade");
            assertEquals("accepted", hub.client().get("/webhooks/call050?call_id=runs-5").json().get("status").asText());
            hub.lake().awaitRecord("call050", "runs-5");
            assertEquals(4, hub.lake().records().size(), "events 1 to 3 and 5 once each; the dead letter waits for a replay");
        }
    }

    private static long count(TestHub hub, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hub.dataDir().resolve("hookhub.db"));
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
