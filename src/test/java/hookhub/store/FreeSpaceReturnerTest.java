package hookhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hookhub.event.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store gives the space of a drained backlog back to the file system, keeps a reserve for the next
 * burst, and converts a small store file made without incremental auto-vacuum at start.
 */
class FreeSpaceReturnerTest {

    private static final String BODY = "{\"pad\":\"" + "x".repeat(3_000) + "\"}";

    @TempDir
    Path dir;

    private ConnectionFactory connections(Path file) {
        return new ConnectionFactory(new StoreSettings("jdbc:sqlite:" + file, "", "", "normal", Duration.ofHours(72), 0, 0,
                Duration.ofSeconds(10), 1000, 64L << 20));
    }

    @Test
    void givesADrainedBacklogBackAndKeepsAReserve() throws SQLException {
        Path file = dir.resolve("free.db");
        ConnectionFactory connections = connections(file);
        try (Connection c = connections.open()) {
            try (Statement st = c.createStatement()) {
                for (String ddl : Dialect.SQLITE.schema()) {
                    st.execute(ddl);
                }
            }
            assertEquals(FreeSpaceReturner.INCREMENTAL, FreeSpaceReturner.pragma(c, "auto_vacuum"), "new stores are incremental");
            // a backlog of 12,000 bodies of 3 KB (about 47 MiB: one 4 KiB page each), then delivered and dropped
            connections.transaction(c, tx -> {
                try (PreparedStatement body = tx.prepareStatement("INSERT INTO hookhub_bodies (seq, seg, record) VALUES (?, ?, ?)")) {
                    for (long seq = 1; seq <= 12_000; seq++) {
                        body.setLong(1, seq);
                        body.setLong(2, seq);
                        body.setString(3, BODY);
                        body.addBatch();
                    }
                    body.executeBatch();
                }
                return null;
            });
            long pageSize = FreeSpaceReturner.pragma(c, "page_size");
            long full = FreeSpaceReturner.pragma(c, "page_count");
            connections.transaction(c, tx -> {
                try (Statement st = tx.createStatement()) {
                    st.executeUpdate("DELETE FROM hookhub_bodies");
                }
                return null;
            });
            long free = FreeSpaceReturner.pragma(c, "freelist_count");
            assertTrue(free * pageSize > 40L << 20, "the dropped bodies left their pages free: " + free);

            FreeSpaceReturner returner = new FreeSpaceReturner(connections, 1L << 20, 2);
            assertEquals(0, returner.run(c), "the free space must last a while first");
            assertEquals(0, returner.run(c));
            long first = returner.run(c);
            long oneRun = (long) FreeSpaceReturner.MAX_STEPS_PER_RUN * FreeSpaceReturner.STEP_PAGES * pageSize;
            // the file also loses the pointer-map pages that described the returned pages (one per ~800 pages)
            assertTrue(first >= oneRun && first <= oneRun * 101 / 100, "one run returns MAX_STEPS_PER_RUN steps: " + first);
            long total = first;
            for (long r = returner.run(c); r > 0; r = returner.run(c)) {
                total += r;
            }

            long pages = FreeSpaceReturner.pragma(c, "page_count");
            long stillFree = FreeSpaceReturner.pragma(c, "freelist_count");
            assertEquals(full - pages, total / pageSize, "every page returned left the file");
            assertTrue(stillFree <= Math.max((1L << 20) / pageSize, pages / 4), "no more than the reserve stays free: " + stillFree);
            assertTrue(stillFree >= pages / 4 - 1, "a quarter of the file stays free for the next burst: " + stillFree + " of " + pages);
            assertTrue(pages * pageSize < 16L << 20, "the file shrank from " + (full * pageSize >> 20) + " MiB to "
                    + (pages * pageSize >> 20) + " MiB");

            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            assertTrue(Files.size(file) < 16L << 20, "the checkpoint made the file on disk small: " + Files.size(file));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void leavesTheFileAloneWhileLittleIsFree() throws SQLException {
        ConnectionFactory connections = connections(dir.resolve("steady.db"));
        try (Connection c = connections.open()) {
            try (Statement st = c.createStatement()) {
                for (String ddl : Dialect.SQLITE.schema()) {
                    st.execute(ddl);
                }
                st.executeUpdate("INSERT INTO hookhub_bodies (seq, seg, record) VALUES (1, 1, 'a'), (2, 2, 'b')");
                st.executeUpdate("DELETE FROM hookhub_bodies WHERE seq = 1");
            }
            long pages = FreeSpaceReturner.pragma(c, "page_count");
            assertEquals(0, new FreeSpaceReturner(connections, 64L << 20, 0).run(c));
            assertEquals(pages, FreeSpaceReturner.pragma(c, "page_count"));
        }
    }

    @Test
    void convertsASmallStoreFromAnEarlierHubAtStart() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        // an earlier hub's store: no auto-vacuum, with an event waiting for the lake
        try (Connection old = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("hookhub.db"));
                Statement st = old.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            for (String ddl : Dialect.SQLITE.schema()) {
                st.execute(ddl);
            }
            assertEquals(0, FreeSpaceReturner.pragma(old, "auto_vacuum"));
            st.executeUpdate("INSERT INTO hookhub_events (seq, source, id, received_at, partition_at) VALUES (1, 'call050', 'c-1', 0, 0)");
            st.executeUpdate("INSERT INTO hookhub_bodies (seq, seg, record) VALUES (1, 0, '{\"id\":\"c-1\"}')");
            st.executeUpdate("INSERT INTO hookhub_pending (sink, seq, last_seq, seg, received_at, events, bytes)"
                    + " VALUES ('lake', 1, 1, 0, 0, 1, 12)");
        }
        StoreSettings settings = new StoreSettings(EventStore.defaultUrl(data), "", "", "normal", Duration.ofHours(72), 1000, 0,
                Duration.ofSeconds(10), 1000, 64L << 20);
        try (EventStore store = new EventStore(settings, data, List.of("lake"))) {
            store.start();
            assertTrue(store.contains("call050", "c-1"), "the stored event survived the conversion");
            assertTrue(!store.accept(new Event("call050", "c-1", 0, 0, "{\"id\":\"c-1\"}")), "and still deduplicates");
            assertEquals(1, store.queue("lake").claim(new BatchPolicy(10, 1 << 20, Duration.ZERO, Duration.ofMinutes(1)),
                    System.currentTimeMillis()).orElseThrow().events().size(), "and is still delivered");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("hookhub.db"))) {
            assertEquals(FreeSpaceReturner.INCREMENTAL, FreeSpaceReturner.pragma(c, "auto_vacuum"));
        }
    }
}
