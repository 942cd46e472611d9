package hookhub.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** What differs between the embedded SQLite store and a shared PostgreSQL: DDL, connection setup, row locking. */
enum Dialect {
    SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER PRIMARY KEY", " WITHOUT ROWID", ""),
    POSTGRES("BIGSERIAL PRIMARY KEY", "BIGINT PRIMARY KEY", "", " FOR UPDATE SKIP LOCKED");

    /** Column type of the ever-increasing event sequence. */
    final String seqColumn;
    /** Column type of a body's seq (SQLite: the rowid itself, so a body is one B-tree entry). */
    final String bodySeqColumn;
    /** SQLite: the pending table is its primary key (sink, dead, seq), one B-tree fewer per row. */
    final String pendingTableOptions;
    /** Suffix that lets several hub instances claim different rows at once (PostgreSQL only). */
    final String skipLocked;

    /** How long an SQLite connection waits for a lock another process (the CLI) holds. */
    static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;

    Dialect(String seqColumn, String bodySeqColumn, String pendingTableOptions, String skipLocked) {
        this.seqColumn = seqColumn;
        this.bodySeqColumn = bodySeqColumn;
        this.pendingTableOptions = pendingTableOptions;
        this.skipLocked = skipLocked;
    }

    /**
     * {@code hookhub_pending INDEXED BY <index>} on SQLite, whose planner has no statistics and would otherwise walk
     * the sink's whole key range; plain {@code hookhub_pending} on PostgreSQL, whose planner picks by statistics.
     */
    String pending(String index) {
        return pending(index, "");
    }

    /** The same with an alias (SQLite wants it before INDEXED BY). */
    String pending(String index, String alias) {
        String table = alias.isEmpty() ? "hookhub_pending" : "hookhub_pending " + alias;
        return this == SQLITE ? table + " INDEXED BY " + index : table;
    }

    static Dialect of(StoreSettings s) {
        return s.isPostgres() ? POSTGRES : SQLITE;
    }

    Connection open(StoreSettings s) throws SQLException {
        Properties p = new Properties();
        if (this == SQLITE) {
            // IMMEDIATE: a transaction takes the write lock when it begins (waiting up to busy_timeout), so a
            // read-then-write transaction never fails on upgrading its lock.
            p.setProperty("transaction_mode", "IMMEDIATE");
            p.setProperty("synchronous", s.fullSync() ? "FULL" : "NORMAL");
            p.setProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MILLIS));
            p.setProperty("foreign_keys", "false");
            // No connection checkpoints the WAL as part of its own commit (that stalled whichever request's group
            // crossed the threshold): the WalCheckpointer thread does it in the background.
            p.setProperty("wal_autocheckpoint", "0");
            // No commit cuts the WAL file down to size either (that took 0.6 s after a long load): WalCheckpointer
            // keeps the log short, and the file is written over from the start.
            p.setProperty("journal_size_limit", "-1");
            // Statement journals (a multi-row insert, a savepoint) stay in memory: once past 64 KiB they went to a temp
            // file, opened and closed by the writer in every group commit.
            p.setProperty("temp_store", "MEMORY");
        } else {
            if (s.user() != null && !s.user().isBlank()) {
                p.setProperty("user", s.user());
            }
            if (s.password() != null && !s.password().isBlank()) {
                p.setProperty("password", s.password());
            }
            p.setProperty("ApplicationName", "hookhub");
            // the group commit's body and pending rows go as multi-row INSERTs instead of one statement per row
            p.setProperty("reWriteBatchedInserts", "true");
        }
        Connection c = DriverManager.getConnection(s.url(), p);
        if (this == SQLITE) {
            try (Statement st = c.createStatement()) {
                // A new store file gives free pages back to the file system (FreeSpaceReturner). This must come before
                // the switch to WAL, which writes the file's first page; on an existing file it changes nothing
                // until a VACUUM (StoreUpgrades.incrementalVacuum). The driver's own properties run in the other order.
                st.execute("PRAGMA auto_vacuum = INCREMENTAL");
                st.execute("PRAGMA journal_mode = WAL");
            }
        }
        if (this == POSTGRES) {
            try (Statement st = c.createStatement()) {
                // "normal" trades the fsync of each commit for speed: a crashed server may lose the last commits
                st.execute("SET synchronous_commit = " + (s.fullSync() ? "on" : "off"));
            }
        }
        return c; // auto-commit until ConnectionFactory.transaction() begins one

    }

    /**
     * PostgreSQL: instances that start at the same time create and upgrade the schema one after the other (two
     * CREATE INDEX IF NOT EXISTS of one name at once can fail). Released when the transaction ends.
     */
    String lockSchema() {
        return this == POSTGRES ? "SELECT pg_advisory_xact_lock(7307052104)" : "SELECT 1";
    }

    /** Does this table or index exist (in the current schema)? */
    boolean exists(Connection c, String name) throws SQLException {
        String sql = this == SQLITE ? "SELECT COUNT(*) FROM sqlite_master WHERE name = ?" : "SELECT COUNT(to_regclass(?::text))";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    String[] schema() {
        java.util.List<String> ddl = new java.util.ArrayList<>(java.util.List.of(
            // bytes: the size of the event's line (a sink's backlog and batch limits, without reading the bodies)
            "CREATE TABLE IF NOT EXISTS hookhub_events ("
                    + " seq " + seqColumn + ","
                    + " source VARCHAR(100) NOT NULL,"
                    + " id VARCHAR(300) NOT NULL,"
                    + " received_at BIGINT NOT NULL,"
                    + " partition_at BIGINT NOT NULL,"
                    + " bytes INTEGER NOT NULL DEFAULT 0,"
                    + " CONSTRAINT hookhub_events_key UNIQUE (source, id))",
            // the JSON line, kept apart from the dedup keys: dropping it once every sink has it is a cheap DELETE
            // that frees whole pages, where setting a column to NULL rewrote every page it touched. seg: the run the
            // event was stored in on PostgreSQL (see Segment); 0 on SQLite, where a row's range says it all
            "CREATE TABLE IF NOT EXISTS hookhub_bodies ("
                    + " seq " + bodySeqColumn + ","
                    + " seg BIGINT NOT NULL,"
                    + " record TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS hookhub_events_received ON hookhub_events (received_at)",
            pendingTable("hookhub_pending", "IF NOT EXISTS "),
            // Only claimed rows are in this index (accepting an event does not touch it): a sink's batches in flight,
            // where it finds the ones whose lease ran out. Dead letters are not in it, however many there are.
            "CREATE INDEX IF NOT EXISTS hookhub_pending_inflight ON hookhub_pending (sink, batch) WHERE batch IS NOT NULL AND dead = 0",
            // (indexes of stores made by earlier versions)
            "DROP INDEX IF EXISTS hookhub_pending_batch",
            "DROP INDEX IF EXISTS hookhub_pending_claimed",
            "DROP INDEX IF EXISTS hookhub_pending_seq",
            // by seq, live rows first: "the oldest event a sink still needs" is one seek however many dead letters there are
            "CREATE INDEX IF NOT EXISTS hookhub_pending_live ON hookhub_pending (dead, seq)"));
        if (this == SQLITE) {
            // One writer hands out seqs in commit order, so each sink needs one number, not a row per event: every
            // event after claimed_up_to is still owed to it (see SinkCursors)
            ddl.add("CREATE TABLE IF NOT EXISTS hookhub_cursors (sink VARCHAR(32) PRIMARY KEY, claimed_up_to BIGINT NOT NULL)");
        } else {
            // "does any sink still need this body": one seek for the body's run
            ddl.add("CREATE INDEX IF NOT EXISTS hookhub_pending_seg ON hookhub_pending (seg)");
        }
        return ddl.toArray(String[]::new);
    }

    /**
     * A sink's rows: each stands for a range of events. On PostgreSQL the group commit writes one per (sink, run): a
     * run ({@link Segment}) is what one group commit stored of one source. On SQLite new events need no row (see
     * hookhub_cursors): a row is written when a sink claims a batch. On both, an event that fails on its own, or is
     * refused, gets a row of its own, and dead letters stay, with dead = 1. The key (sink, dead, seq) keeps a sink's
     * live rows together in seq order, ahead of its dead letters: a claim reads the oldest live rows and never walks
     * past dead letters, of which there can be millions after a long outage.
     *
     * <p>seq and last_seq: the first and last event; seg: the run they come from (PostgreSQL: only the bodies with this
     * seg in the range are the row's, another instance's can lie between them; SQLite: 0, every event in the range);
     * received_at: its oldest event's; events, bytes: how many, and their lines' size.
     */
    String pendingTable(String name, String ifNotExists) {
        return "CREATE TABLE " + ifNotExists + name + " ("
                + " sink VARCHAR(32) NOT NULL,"
                + " seq BIGINT NOT NULL,"
                + " last_seq BIGINT NOT NULL,"
                + " seg BIGINT NOT NULL,"
                + " received_at BIGINT NOT NULL,"
                + " events INTEGER NOT NULL,"
                + " bytes BIGINT NOT NULL,"
                + " batch VARCHAR(80),"
                + " lease_until BIGINT NOT NULL DEFAULT 0,"
                + " attempts INTEGER NOT NULL DEFAULT 0,"
                + " next_at BIGINT NOT NULL DEFAULT 0,"
                + " dead SMALLINT NOT NULL DEFAULT 0,"
                + " last_error TEXT,"
                + " PRIMARY KEY (sink, dead, seq))" + pendingTableOptions;
    }
}
