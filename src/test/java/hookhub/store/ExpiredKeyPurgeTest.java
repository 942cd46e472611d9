package hookhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dedup purge on a real SQLite store: it forgets exactly the keys older than the cutoff that no sink still
 * needs, across chunks of 1,000, when many old keys share one received_at and when the keys still needed (dead
 * letters) come first.
 */
class ExpiredKeyPurgeTest {

    private static final long OLD = 1_000;
    private static final long CUTOFF = 2_000;
    private static final long NEW = 3_000;

    @TempDir
    Path dir;

    @Test
    void forgetsExactlyTheOldKeysNoSinkNeedsAcrossChunks() throws SQLException {
        ConnectionFactory connections = new ConnectionFactory(new StoreSettings("jdbc:sqlite:" + dir.resolve("purge.db"), "", "",
                "normal", Duration.ofHours(72), 0, 0, Duration.ofSeconds(10), 1000, 64L << 20));
        try (Connection c = connections.open()) {
            try (Statement st = c.createStatement()) {
                for (String ddl : Dialect.SQLITE.schema()) {
                    st.execute(ddl);
                }
            }
            // seq 1..1500: old, dead letters for s3 (kept); 1501..4000: old, all at one received_at, every 10th still
            // waiting for the lake (kept), the rest delivered everywhere (purged); 4001..4100: new (kept)
            connections.transaction(c, tx -> {
                try (PreparedStatement event = tx.prepareStatement("INSERT INTO hookhub_events (seq, source, id, received_at, partition_at)"
                        + " VALUES (?, 'appsflyer', ?, ?, 0)");
                        PreparedStatement body = tx.prepareStatement("INSERT INTO hookhub_bodies (seq, record) VALUES (?, '{}')");
                        PreparedStatement pending = tx.prepareStatement("INSERT INTO hookhub_pending (sink, seq, source, received_at, bytes, dead)"
                                + " VALUES (?, ?, 'appsflyer', 0, 2, ?)")) {
                    for (long seq = 1; seq <= 4100; seq++) {
                        event.setLong(1, seq);
                        event.setString(2, "id-" + seq);
                        event.setLong(3, seq <= 4000 ? OLD : NEW);
                        event.addBatch();
                        body.setLong(1, seq);
                        body.addBatch();
                        boolean dead = seq <= 1500;
                        if (dead || (seq <= 4000 && seq % 10 == 0)) {
                            pending.setString(1, dead ? "s3" : "lake");
                            pending.setLong(2, seq);
                            pending.setInt(3, dead ? 1 : 0);
                            pending.addBatch();
                        }
                    }
                    event.executeBatch();
                    body.executeBatch();
                    pending.executeBatch();
                }
                return null;
            });

            int purged = new ExpiredKeyPurge(connections).run(c, CUTOFF);

            long waiting = (4000 - 1500) / 10;
            assertEquals(2500 - waiting, purged);
            assertEquals(1500 + waiting + 100, count(c, "SELECT COUNT(*) FROM hookhub_events"));
            assertEquals(1500, count(c, "SELECT COUNT(*) FROM hookhub_events WHERE seq <= 1500"), "dead letters keep their keys");
            assertEquals(waiting, count(c, "SELECT COUNT(*) FROM hookhub_events WHERE seq > 1500 AND seq <= 4000"),
                    "events a sink still waits for keep their keys");
            assertEquals(0, count(c, "SELECT COUNT(*) FROM hookhub_events e WHERE NOT EXISTS (SELECT 1 FROM hookhub_bodies b WHERE b.seq = e.seq)"),
                    "every kept key keeps its body");
            assertEquals(count(c, "SELECT COUNT(*) FROM hookhub_events"), count(c, "SELECT COUNT(*) FROM hookhub_bodies"),
                    "the purged keys' bodies are gone too");
            assertEquals(0, new ExpiredKeyPurge(connections).run(c, CUTOFF), "a second run finds nothing");
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
