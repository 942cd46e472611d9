package hookhub.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a store made by an earlier hookhub to the current layout, in the transaction that creates the schema.
 * Each step checks for itself whether it is needed, so it runs once and a current store is left alone.
 */
final class StoreUpgrades {

    private static final Logger LOG = LoggerFactory.getLogger(StoreUpgrades.class);
    private static final String COLUMNS = "sink, seq, source, received_at, bytes, batch, lease_until, attempts, next_at, dead, last_error";

    private StoreUpgrades() {
    }

    /**
     * Before the schema's indexes: stores made before hookhub_pending_live keyed hookhub_pending by (sink, seq), so
     * dead letters sat in front of a sink's live rows. Copies the rows into a table keyed (sink, dead, seq).
     */
    static void beforeSchema(Connection c, Dialect dialect) throws SQLException {
        if (!dialect.exists(c, "hookhub_pending") || dialect.exists(c, "hookhub_pending_live")) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute(dialect.pendingTable("hookhub_pending_rekeyed", ""));
            int rows = st.executeUpdate("INSERT INTO hookhub_pending_rekeyed (" + COLUMNS + ") SELECT " + COLUMNS + " FROM hookhub_pending");
            st.execute("DROP TABLE hookhub_pending"); // and its indexes
            st.execute("ALTER TABLE hookhub_pending_rekeyed RENAME TO hookhub_pending");
            LOG.info("Re-keyed hookhub_pending by (sink, dead, seq): {} rows", rows);
        }
    }

    /**
     * After the schema: stores made before hookhub_bodies existed kept each body in hookhub_events.record. Moves the
     * ones still waiting for a sink into hookhub_bodies (once; the old column then stays empty and unused).
     */
    static void afterSchema(Connection c) throws SQLException {
        boolean hasRecordColumn = false;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM hookhub_events WHERE 1 = 0")) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                hasRecordColumn |= rs.getMetaData().getColumnName(i).equalsIgnoreCase("record");
            }
        }
        if (hasRecordColumn) {
            try (Statement st = c.createStatement()) {
                int moved = st.executeUpdate("INSERT INTO hookhub_bodies (seq, record) SELECT seq, record FROM hookhub_events"
                        + " WHERE record IS NOT NULL");
                st.executeUpdate("UPDATE hookhub_events SET record = NULL WHERE record IS NOT NULL");
                if (moved > 0) {
                    LOG.info("Moved {} stored event bodies into hookhub_bodies", moved);
                }
            }
        }
    }

    /**
     * SQLite, outside any transaction, before the hub's writers start: stores made before FreeSpaceReturner were
     * created without incremental auto-vacuum, so they could never give free pages back. Switching needs a VACUUM,
     * which rewrites the whole file (and needs as much free disk again): done here for files up to
     * {@code maxBytes}; a larger one is left as it is, with a warning that says how to convert it.
     */
    static void incrementalVacuum(Connection c, String file, long maxBytes) throws SQLException {
        if (FreeSpaceReturner.pragma(c, "auto_vacuum") == FreeSpaceReturner.INCREMENTAL) {
            return;
        }
        long size = FreeSpaceReturner.pragma(c, "page_count") * FreeSpaceReturner.pragma(c, "page_size");
        if (size > maxBytes) {
            LOG.warn("The store file {} ({} MiB) was made by an earlier hookhub: it reuses free space but never gives it back"
                    + " to the file system. To convert it, stop the hub and run: sqlite3 {} 'PRAGMA auto_vacuum = INCREMENTAL; VACUUM;'"
                    + " (needs as much free disk again as the file takes)", file, size >> 20, file);
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA auto_vacuum = INCREMENTAL");
            st.execute("VACUUM");
        }
        LOG.info("Converted the store file {} ({} MiB) to incremental auto-vacuum: free space now goes back to the file system",
                file, size >> 20);
    }
}
