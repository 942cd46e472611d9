package hookhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dedup purge deletes keys in chunks of 1,000, each key on a random page of the (source, id) index, so a purge
 * writes a page to the write-ahead log for almost every key, within a second or two. The checkpoint thread looks once
 * a second, and the log file keeps the largest size it reached: without help the file grows by the whole purge.
 * The same purge of 20,000 expired keys runs twice on a real SQLite store, without and with the log kept short
 * between chunks.
 */
class PurgeWalSizeTest {

    private static final long MIB = 1L << 20;
    private static final int EVENTS = 20_000;
    private static final long CUTOFF = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void aPurgeKeepsTheLogNearItsRestartSize() throws Exception {
        long alone = walAfterPurge("alone.db", false);
        long keptShort = walAfterPurge("kept-short.db", true);
        System.out.printf("PurgeWalSizeTest: hookhub.db-wal after purging %d keys: %d KiB alone, %d KiB kept short (1 MiB restart size)%n",
                EVENTS, alone >> 10, keptShort >> 10);
        assertTrue(alone > 12 * MIB, "the purge alone must write far past the restart size to show anything, it wrote " + (alone >> 10) + " KiB");
        assertTrue(keptShort < 6 * MIB, "kept short between chunks, the log reached " + (keptShort >> 10) + " KiB");
    }

    /** Stores EVENTS expired events, empties the log, purges them and returns the size the log file reached. */
    private long walAfterPurge(String file, boolean keepShort) throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve(file);
        ConnectionFactory connections = new ConnectionFactory(new StoreSettings(url, "", "", "normal", Duration.ofHours(72), 0, 0,
                Duration.ofSeconds(10), 1000, MIB));
        WalCheckpointer wal = new WalCheckpointer(connections, MIB, 1000); // not started: only its step between chunks runs
        try (Connection c = connections.open()) {
            try (Statement st = c.createStatement()) {
                for (String ddl : connections.dialect().schema()) {
                    st.execute(ddl);
                }
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            connections.transaction(c, tx -> {
                try (PreparedStatement event = tx.prepareStatement("INSERT INTO hookhub_events (seq, source, id, received_at, partition_at)"
                        + " VALUES (?, 'appsflyer', ?, ?, 0)");
                        PreparedStatement body = tx.prepareStatement("INSERT INTO hookhub_bodies (seq, seg, record) VALUES (?, 0, '{}')")) {
                    for (long seq = 1; seq <= EVENTS; seq++) {
                        event.setLong(1, seq);
                        // AppsFlyer's ids are hashes: in the key index they fall in no particular order
                        event.setString(2, HexFormat.of().formatHex(sha.digest(Long.toString(seq).getBytes())));
                        event.setLong(3, seq);
                        event.addBatch();
                        body.setLong(1, seq);
                        body.addBatch();
                    }
                    event.executeBatch();
                    body.executeBatch();
                }
                return null;
            });
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "the log is empty before the purge");
            }
            Path walFile = dir.resolve(file + "-wal");
            assertEquals(0, Files.size(walFile));

            assertEquals(EVENTS, new ExpiredKeyPurge(connections, keepShort ? wal : null).run(c, CUTOFF));
            return Files.size(walFile);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
