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

    private StoreUpgrades() {
    }

    /**
     * Before the schema's indexes. Stores made before ranges had one hookhub_pending row per (sink, event), and the
     * oldest of them keyed it (sink, seq), with dead letters in front of a sink's live rows: their rows are copied into
     * the current layout, each as a range of one event. Bodies get their seg (PostgreSQL: seq, each event its own run;
     * SQLite: 0), events the size of their line (0 for old ones: only the sinks' rows count those).
     */
    static void beforeSchema(Connection c, Dialect dialect) throws SQLException {
        String seg = dialect == Dialect.SQLITE ? "0" : "seq";
        try (Statement st = c.createStatement()) {
            if (dialect.exists(c, "hookhub_pending") && !hasColumn(c, "hookhub_pending", "last_seq")) {
                st.execute(dialect.pendingTable("hookhub_pending_ranges", ""));
                int rows = st.executeUpdate("INSERT INTO hookhub_pending_ranges (sink, seq, last_seq, seg, received_at, events, bytes,"
                        + " batch, lease_until, attempts, next_at, dead, last_error) SELECT sink, seq, seq, " + seg + ", received_at, 1,"
                        + " bytes, batch, lease_until, attempts, next_at, dead, last_error FROM hookhub_pending");
                st.execute("DROP TABLE hookhub_pending"); // and its indexes
                st.execute("ALTER TABLE hookhub_pending_ranges RENAME TO hookhub_pending");
                LOG.info("Moved hookhub_pending to one row per range of events, keyed (sink, dead, seq): {} rows", rows);
            }
            if (dialect.exists(c, "hookhub_bodies") && !hasColumn(c, "hookhub_bodies", "seg")) {
                st.execute("ALTER TABLE hookhub_bodies ADD COLUMN seg BIGINT NOT NULL DEFAULT 0");
                st.executeUpdate("UPDATE hookhub_bodies SET seg = " + seg);
            }
            if (dialect.exists(c, "hookhub_events") && !hasColumn(c, "hookhub_events", "bytes")) {
                st.execute("ALTER TABLE hookhub_events ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0");
            }
        }
    }

    private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                if (rs.getMetaData().getColumnName(i).equalsIgnoreCase(column)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * After the schema: stores made before hookhub_bodies existed kept each body in hookhub_events.record. Moves the
     * ones still waiting for a sink into hookhub_bodies (once; the old column then stays empty and unused).
     */
    static void afterSchema(Connection c, Dialect dialect) throws SQLException {
        if (hasColumn(c, "hookhub_events", "record")) {
            try (Statement st = c.createStatement()) {
                int moved = st.executeUpdate("INSERT INTO hookhub_bodies (seq, seg, record) SELECT seq, "
                        + (dialect == Dialect.SQLITE ? "0" : "seq") + ", record FROM hookhub_events"
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
