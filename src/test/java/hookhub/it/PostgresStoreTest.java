package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hub instances on one PostgreSQL form one hub: an event sent to both at once is accepted once, and every
 * event is delivered by exactly one of them (both write to one shared lake directory).
 */
class PostgresStoreTest {

    @TempDir
    static Path work;
    static TestHub a;
    static TestHub b;

    @BeforeAll
    static void start() {
        String url = PostgresTestDb.freshSchemaUrl();
        Path lake = work.resolve("shared-lake");
        a = TestHub.withShippedRoutes(work.resolve("a")).set("hookhub.store.url", url)
                .set("hookhub.store.user", PostgresTestDb.user()).set("hookhub.lake.dir", lake.toString()).start();
        b = TestHub.withShippedRoutes(work.resolve("b")).set("hookhub.store.url", url)
                .set("hookhub.store.user", PostgresTestDb.user()).set("hookhub.lake.dir", lake.toString()).start();
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void theSameEventSentToBothInstancesAtOnceIsAcceptedOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<CompletableFuture<String>> replies = new ArrayList<>();
        int events = 100;
        for (int i = 0; i < events; i++) {
            byte[] body = Traffic.callReport(10_000 + i);
            for (TestHub hub : List.of(a, b, a, b)) {
                replies.add(CompletableFuture.supplyAsync(() -> {
                    HubClient.Reply r = hub.client().post("/webhooks/call050", "application/x-www-form-urlencoded", body);
                    return r.status() + " " + r.json().get("status").asText() + " " + r.json().get("id").asText();
                }, pool));
            }
        }
        Map<String, Integer> accepted = new HashMap<>();
        for (CompletableFuture<String> f : replies) {
            String[] r = f.get().split(" ");
            assertEquals("200", r[0]);
            if (r[1].equals("accepted")) {
                accepted.merge(r[2], 1, Integer::sum);
            }
        }
        pool.shutdown();
        assertEquals(events, accepted.size(), "every event accepted by one request");
        accepted.forEach((id, n) -> assertEquals(1, n, id + " accepted " + n + " times"));

        List<JsonNode> records = a.lake().await(rs -> rs.stream().filter(r -> r.get("id").asText().startsWith("crash-01")).count() >= events,
                Duration.ofSeconds(30));
        Lake.sleep(1000);
        records = new Lake(work.resolve("shared-lake")).records();
        Map<String, Integer> copies = new HashMap<>();
        records.forEach(r -> copies.merge(r.get("id").asText(), 1, Integer::sum));
        copies.forEach((id, n) -> assertEquals(1, n, id + " is in the shared lake " + n + " times"));
    }

    @Test
    void aPendingTableKeyedTheOldWayIsRekeyedAndItsWaitingEventIsDelivered() throws Exception {
        // a store from before the (sink, dead, seq) key: pending rows keyed (sink, seq), the old claimed index
        String url = PostgresTestDb.freshSchemaUrl();
        long now = System.currentTimeMillis();
        String line = "{\"id\":\"pg-old-1\",\"source\":\"call050\",\"received_at\":\"2026-11-25T00:00:00Z\","
                + "\"payload\":{\"call_id\":\"pg-old-1\"},\"meta\":{\"warnings\":[]}}";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, PostgresTestDb.user(), "");
                java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE hookhub_events (seq BIGSERIAL PRIMARY KEY, source VARCHAR(100) NOT NULL, id VARCHAR(300) NOT NULL,"
                    + " received_at BIGINT NOT NULL, partition_at BIGINT NOT NULL, CONSTRAINT hookhub_events_key UNIQUE (source, id))");
            st.execute("CREATE TABLE hookhub_bodies (seq BIGINT PRIMARY KEY, record TEXT NOT NULL)");
            st.execute("CREATE TABLE hookhub_pending (sink VARCHAR(32) NOT NULL, seq BIGINT NOT NULL, source VARCHAR(100) NOT NULL,"
                    + " received_at BIGINT NOT NULL, bytes INTEGER NOT NULL, batch VARCHAR(80), lease_until BIGINT NOT NULL DEFAULT 0,"
                    + " attempts INTEGER NOT NULL DEFAULT 0, next_at BIGINT NOT NULL DEFAULT 0, dead SMALLINT NOT NULL DEFAULT 0,"
                    + " last_error TEXT, PRIMARY KEY (sink, seq))");
            st.execute("CREATE INDEX hookhub_pending_claimed ON hookhub_pending (sink, batch) WHERE batch IS NOT NULL");
            st.execute("CREATE INDEX hookhub_pending_seq ON hookhub_pending (seq)");
            st.execute("INSERT INTO hookhub_events (source, id, received_at, partition_at) VALUES ('call050', 'pg-old-1', " + now + ", " + now + ")");
            st.execute("INSERT INTO hookhub_bodies (seq, record) VALUES (1, '" + line + "')");
            st.execute("INSERT INTO hookhub_pending (sink, seq, source, received_at, bytes) VALUES ('lake', 1, 'call050', " + now + ", "
                    + line.length() + ")");
        }
        try (TestHub hub = TestHub.withShippedRoutes(work.resolve("upgraded")).set("hookhub.store.url", url)
                .set("hookhub.store.user", PostgresTestDb.user()).start()) {
            assertEquals("pg-old-1", hub.lake().awaitRecord("call050", "pg-old-1").path("payload").path("call_id").asText(),
                    "the event that waited in the old table is delivered");
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, PostgresTestDb.user(), "");
                    java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM pg_index i"
                            + " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)"
                            + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                            + " WHERE i.indrelid = to_regclass('hookhub_pending') AND i.indisprimary")) {
                rs.next();
                assertEquals("sink,dead,seq", rs.getString(1), "pending rows are keyed (sink, dead, seq) now");
            }
        }
    }

    @Test
    void vendorRequestsWorkTheSameOnPostgres() {
        HubClient.Reply first = a.client().send("call050_answered_utf8.http");
        assertEquals("accepted", first.json().get("status").asText(), first.body());
        HubClient.Reply again = b.client().send("call050_answered_euckr.http");
        assertEquals("duplicate", again.json().get("status").asText(), again.body());
        JsonNode record = new Lake(work.resolve("shared-lake")).awaitRecord("call050", "20251103101500-050799990001-000777");
        assertEquals("*철수", record.at("/payload/caller_name").asText());
    }
}
