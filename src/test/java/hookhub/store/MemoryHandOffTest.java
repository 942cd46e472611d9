package hookhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hookhub.event.Event;
import hookhub.it.PostgresTestDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * New events reach the sinks in memory, handed over by the group commit; a claim then reads nothing back. Whatever
 * memory does not hold (it was full, a restart, on PostgreSQL a lease about to end or a claim taken elsewhere) is
 * read from the store. Either way every event reaches every sink exactly once: checked on a real SQLite store and,
 * when HOOKHUB_TEST_PG_URL is set, a real PostgreSQL one. On SQLite a sink's new events are the ones after its cursor;
 * on PostgreSQL the runs the group commit wrote, leased to this instance while memory holds them.
 */
class MemoryHandOffTest {

    private static final BatchPolicy DUE_AT_ONCE = new BatchPolicy(1000, 16L << 20, Duration.ZERO, Duration.ofMinutes(5));

    @TempDir
    Path dir;

    private EventStore open(String engine, List<String> sinks, BatchPolicy policy, long memoryBytes) throws Exception {
        String url = engine.equals("postgres") ? PostgresTestDb.freshSchemaUrl() : EventStore.defaultUrl(dir);
        return openAt(url, sinks, policy, memoryBytes);
    }

    private EventStore openAt(String url, List<String> sinks, BatchPolicy policy, long memoryBytes) throws Exception {
        StoreSettings settings = new StoreSettings(url, url.startsWith("jdbc:postgresql:") ? PostgresTestDb.user() : "", "", "normal",
                Duration.ofHours(72), 1_000_000, 0, Duration.ofSeconds(10), 1000, 64L << 20);
        EventStore store = new EventStore(settings, dir, sinks);
        for (String sink : sinks) {
            store.queue(sink).deliverFromMemory(policy, memoryBytes);
        }
        store.start();
        return store;
    }

    private static Event event(String source, int n) {
        return new Event(source, source + "-" + n, System.currentTimeMillis(), System.currentTimeMillis(),
                "{\"id\":\"" + source + "-" + n + "\",\"n\":" + n + ",\"text\":\"홍길동\"}");
    }

    /** Accepts events from 16 threads at once, so that groups hold several events of several sources. */
    private static List<Event> acceptConcurrently(EventStore store, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Event> events = new ArrayList<>();
            List<Future<Boolean>> stored = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Event e = event(i % 3 == 0 ? "adbrix" : "appsflyer", i);
                events.add(e);
                stored.add(pool.submit(() -> store.accept(e)));
            }
            for (Future<Boolean> f : stored) {
                assertTrue(f.get(), "a new event is stored");
            }
            return events;
        } finally {
            pool.shutdown();
        }
    }

    /** Claims and confirms everything due, now and at later polls; returns how often each id came and from where. */
    private static Drained drain(DeliveryQueue queue, BatchPolicy policy, long waitMillis) throws Exception {
        Drained d = new Drained();
        long until = System.currentTimeMillis() + waitMillis;
        do {
            for (Optional<Batch> b; (b = queue.claim(policy, System.currentTimeMillis())).isPresent();) {
                Batch batch = b.get();
                (batch.fromMemory() ? d.memoryBatches : d.storeBatches).add(batch.name());
                long previous = -1;
                for (StoredEvent e : batch.events()) {
                    assertTrue(e.seq() > previous, "a batch is in seq order: " + batch.name());
                    previous = e.seq();
                    d.copies.merge(id(e), 1, Integer::sum);
                }
                queue.delivered(batch);
            }
            Thread.sleep(50);
        } while (System.currentTimeMillis() < until);
        return d;
    }

    private static final class Drained {
        final Map<String, Integer> copies = new HashMap<>();
        final List<String> memoryBatches = new ArrayList<>();
        final List<String> storeBatches = new ArrayList<>();

        void assertExactlyOnce(List<Event> events) {
            assertEquals(events.size(), copies.size(), "every event arrived");
            for (Event e : events) {
                assertEquals(1, copies.getOrDefault(e.id(), 0), "copies of " + e.id());
            }
        }
    }

    private static String id(StoredEvent e) {
        String line = new String(e.line(), StandardCharsets.UTF_8);
        assertTrue(line.contains("홍길동"), "the line arrives byte-exact: " + line);
        return line.substring(7, line.indexOf('"', 7));
    }

    private static long backlog(EventStore store, String sink) throws SQLException {
        return store.refreshBacklog().get(sink).events();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void newEventsReachEverySinkFromMemory(String engine) throws Exception {
        try (EventStore store = open(engine, List.of("lake", "s3"), DUE_AT_ONCE, 32L << 20)) {
            List<Event> events = acceptConcurrently(store, 300);
            assertEquals(300, backlog(store, "lake"));
            for (String sink : List.of("lake", "s3")) {
                Drained d = drain(store.queue(sink), DUE_AT_ONCE, 0);
                d.assertExactlyOnce(events);
                assertTrue(d.storeBatches.isEmpty(), sink + ": nothing was read back from the store: " + d.storeBatches);
                assertEquals(0, backlog(store, sink), sink + " has them all");
                assertEquals(0, store.queue(sink).fresh().usedBytes(), "memory is given back");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void whatMemoryCannotHoldIsReadFromTheStore(String engine) throws Exception {
        // room for about ten events: the rest is written unleased and read back
        try (EventStore store = open(engine, List.of("lake"), DUE_AT_ONCE, 10 * event("appsflyer", 0).bytes())) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 40; i++) { // one by one: a group each
                Event e = event("appsflyer", i);
                events.add(e);
                assertTrue(store.accept(e));
            }
            Drained d = drain(store.queue("lake"), DUE_AT_ONCE, 0);
            d.assertExactlyOnce(events);
            assertFalse(d.memoryBatches.isEmpty(), "the first events came from memory");
            assertFalse(d.storeBatches.isEmpty(), "the others were read from the store");
            assertEquals(0, backlog(store, "lake"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres"})
    void runsWhoseLeaseEndsAreLeftToTheStorePath(String engine) throws Exception {
        // a batch due only after 10 s, a lease of 400 ms: memory lets go of the runs before the batch is due, and the
        // store path takes them once the lease ran out
        BatchPolicy slow = new BatchPolicy(1000, 16L << 20, Duration.ofSeconds(10), Duration.ofMillis(400));
        BatchPolicy now = new BatchPolicy(1000, 16L << 20, Duration.ZERO, Duration.ofMillis(400));
        try (EventStore store = open(engine, List.of("lake"), slow, 32L << 20)) {
            List<Event> events = acceptConcurrently(store, 50);
            assertTrue(store.queue("lake").claim(now, System.currentTimeMillis() + 250).isEmpty(),
                    "within the margin of the lease's end: not from memory, and not yet from the store");
            Thread.sleep(500);
            Drained d = drain(store.queue("lake"), now, 0);
            d.assertExactlyOnce(events);
            assertTrue(d.memoryBatches.isEmpty(), "memory let go of them");
            assertEquals(0, store.queue("lake").fresh().usedBytes());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres"})
    void aClaimTakenElsewhereIsRolledBackAndNothingIsSentTwice(String engine) throws Exception {
        try (EventStore store = open(engine, List.of("lake"), DUE_AT_ONCE, 32L << 20)) {
            List<Event> events = acceptConcurrently(store, 60);
            // another instance takes one run over, as after the end of its lease
            String url = store.url();
            try (Connection c = engine.equals("postgres") ? DriverManager.getConnection(url, PostgresTestDb.user(), "")
                    : DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE hookhub_pending SET batch = 'elsewhere', lease_until = " + (System.currentTimeMillis() + 60_000)
                        + " WHERE seq = (SELECT MIN(seq) FROM hookhub_pending)");
            }
            List<StoredEvent> elsewhere = new ArrayList<>();
            try (Connection c = engine.equals("postgres") ? DriverManager.getConnection(url, PostgresTestDb.user(), "")
                    : DriverManager.getConnection(url); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT b.seq, b.record FROM hookhub_pending p JOIN hookhub_bodies b"
                            + " ON b.seq BETWEEN p.seq AND p.last_seq AND b.seg = p.seg WHERE p.batch = 'elsewhere'")) {
                while (rs.next()) {
                    elsewhere.add(new StoredEvent(rs.getLong(1), 0, "", 0, 0, rs.getBytes(2)));
                }
            }
            assertFalse(elsewhere.isEmpty());
            Drained d = drain(store.queue("lake"), DUE_AT_ONCE, 300); // the first claim finds the conflict, a later one the rest
            elsewhere.forEach(e -> d.copies.merge(id(e), 1, Integer::sum));
            d.assertExactlyOnce(events);
            assertFalse(d.storeBatches.isEmpty(), "the rolled-back runs came from the store");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aStopGivesTheLeasesBackAndTheNextStartDeliversEverything(String engine) throws Exception {
        String url;
        List<Event> events;
        try (EventStore store = open(engine, List.of("lake"), DUE_AT_ONCE, 32L << 20)) {
            url = store.url();
            events = acceptConcurrently(store, 100);
            BatchPolicy oneRun = new BatchPolicy(1, 16L << 20, Duration.ZERO, Duration.ofMinutes(5));
            Batch first = store.queue("lake").claim(oneRun, System.currentTimeMillis()).orElseThrow();
            assertTrue(first.fromMemory());
            store.queue("lake").delivered(first);
            Drained rest = new Drained(); // the rest of the events stay in memory: the stop gives their leases back
            first.events().forEach(e -> rest.copies.merge(id(e), 1, Integer::sum));
            events = events.stream().filter(e -> !rest.copies.containsKey(e.id())).toList();
            assertFalse(events.isEmpty(), "some runs were still held");
            if (engine.equals("postgres")) {
                try (Connection c = DriverManager.getConnection(url, PostgresTestDb.user(), ""); Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM hookhub_pending WHERE lease_until > 0 AND batch IS NULL")) {
                    rs.next();
                    assertTrue(rs.getLong(1) > 0, "held runs are leased");
                }
            }
        }
        try (EventStore store = openAt(url, List.of("lake"), DUE_AT_ONCE, 32L << 20)) {
            Drained d = drain(store.queue("lake"), DUE_AT_ONCE, 0);
            d.assertExactlyOnce(events);
            assertTrue(d.memoryBatches.isEmpty());
        }
    }

    @org.junit.jupiter.api.Test
    void sqliteFillsAGapInMemoryFromTheStore() throws Exception {
        // memory has room for ten events: the next five are not handed over, then memory takes events again
        BatchPolicy ten = new BatchPolicy(10, 16L << 20, Duration.ZERO, Duration.ofMinutes(5));
        try (EventStore store = open("sqlite", List.of("lake"), ten, 10 * event("appsflyer", 0).bytes())) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                events.add(event("appsflyer", i));
                assertTrue(store.accept(events.get(i)));
            }
            DeliveryQueue queue = store.queue("lake");
            Batch first = queue.claim(ten, System.currentTimeMillis()).orElseThrow();
            assertTrue(first.fromMemory());
            assertEquals(10, first.events().size());
            queue.delivered(first);
            for (int i = 15; i < 20; i++) {
                events.add(event("appsflyer", i));
                assertTrue(store.accept(events.get(i)));
            }
            Batch gap = queue.claim(ten, System.currentTimeMillis()).orElseThrow();
            assertFalse(gap.fromMemory(), "the five events memory had no room for come from the store");
            assertEquals(5, gap.events().size());
            queue.delivered(gap);
            Batch after = queue.claim(ten, System.currentTimeMillis()).orElseThrow();
            assertTrue(after.fromMemory(), "then memory goes on");
            queue.delivered(after);
            Drained d = new Drained();
            for (Batch b : List.of(first, gap, after)) {
                b.events().forEach(e -> d.copies.merge(id(e), 1, Integer::sum));
            }
            d.assertExactlyOnce(events);
            assertEquals(0, backlog(store, "lake"));
        }
    }

    @org.junit.jupiter.api.Test
    void sqliteSinksEnabledLaterOrDisabledKeepTheirPromise() throws Exception {
        // a sink enabled later gets the events from then on; a disabled one keeps what it was owed, not what comes while
        // it is off
        List<Event> first = new ArrayList<>();
        List<Event> whileOff = new ArrayList<>();
        List<Event> back = new ArrayList<>();
        try (EventStore store = open("sqlite", List.of("lake", "s3"), DUE_AT_ONCE, 0)) {
            for (int i = 0; i < 30; i++) {
                first.add(event("adbrix", i));
                assertTrue(store.accept(first.get(i)));
            }
            drain(store.queue("lake"), DUE_AT_ONCE, 0).assertExactlyOnce(first);
        }
        try (EventStore store = open("sqlite", List.of("lake"), DUE_AT_ONCE, 32L << 20)) {
            for (int i = 30; i < 50; i++) {
                whileOff.add(event("adbrix", i));
                assertTrue(store.accept(whileOff.get(i - 30)));
            }
            drain(store.queue("lake"), DUE_AT_ONCE, 0).assertExactlyOnce(whileOff);
            store.purgeExpired(Long.MAX_VALUE / 2); // keys past any window: only what s3 is owed must stay
            store.dropDeliveredBodies();
        }
        try (EventStore store = open("sqlite", List.of("lake", "s3", "firehose"), DUE_AT_ONCE, 32L << 20)) {
            for (int i = 50; i < 60; i++) {
                back.add(event("adbrix", i));
                assertTrue(store.accept(back.get(i - 50)));
            }
            List<Event> s3Owed = new ArrayList<>(first);
            s3Owed.addAll(back);
            drain(store.queue("s3"), DUE_AT_ONCE, 0).assertExactlyOnce(s3Owed);
            drain(store.queue("firehose"), DUE_AT_ONCE, 0).assertExactlyOnce(back);
            drain(store.queue("lake"), DUE_AT_ONCE, 0).assertExactlyOnce(back);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void eventsThatFailOnTheirOwnGetRowsOfTheirOwn(String engine) throws Exception {
        try (EventStore store = open(engine, List.of("firehose"), DUE_AT_ONCE, 32L << 20)) {
            List<Event> events = acceptConcurrently(store, 30);
            DeliveryQueue queue = store.queue("firehose");
            Batch batch = queue.claim(DUE_AT_ONCE, System.currentTimeMillis()).orElseThrow();
            assertEquals(30, batch.events().size());
            StoredEvent failed = batch.events().get(3);
            StoredEvent refused = batch.events().get(7);
            List<StoredEvent> delivered = new ArrayList<>(batch.events());
            delivered.remove(failed);
            delivered.remove(refused);
            queue.settle(batch, delivered, List.of(failed), "ServiceUnavailable", Map.of(refused, "record too large"),
                    System.currentTimeMillis() + 300, 5);
            assertEquals(1, backlog(store, "firehose"), "the failed event waits");
            assertEquals(1, store.refreshBacklog().get("firehose").deadLetters(), "the refused one is a dead letter");
            assertTrue(queue.claim(DUE_AT_ONCE, System.currentTimeMillis()).isEmpty(), "not before its retry time");
            Thread.sleep(400);
            Batch retry = queue.claim(DUE_AT_ONCE, System.currentTimeMillis()).orElseThrow();
            assertFalse(retry.fromMemory());
            assertEquals(List.of(failed.seq()), retry.events().stream().map(StoredEvent::seq).toList());
            assertEquals(2, retry.attempt());
            assertEquals(id(failed), id(retry.events().get(0)));
            queue.delivered(retry);
            assertEquals(0, backlog(store, "firehose"));
            List<DeadLetterCount> dead = queue.deadLetters();
            assertEquals(1, dead.size());
            assertEquals(1, dead.get(0).count());
            assertEquals(1, queue.replayDeadLetters(null, 0));
            Batch replayed = queue.claim(DUE_AT_ONCE, System.currentTimeMillis()).orElseThrow();
            assertEquals(id(refused), id(replayed.events().get(0)));
            assertEquals(events.size(), 30);
        }
    }
}
