package hookhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Forgets the keys of events received before the dedup window's start whose event no sink still needs (every sink
 * has it; dead letters keep theirs). Runs every hookhub.dedup.purge-interval on the store's maintenance connection.
 *
 * <p>It finds them with plain reads and takes the write lock only to delete each chunk of 1,000 it found: the walk
 * passes every old event that is still needed, and after a long outage those can be millions of dead letters.
 * Under the write lock, which every accepted request waits for, that walk would stall acceptance for seconds.
 * Within one run it continues after the last key it found instead of starting over.
 *
 * <p>Each deleted key sits on a random page of the key index, so a run writes up to a page of SQLite's write-ahead log
 * per key within a second or two (20,000 keys: 27 MiB in PurgeWalSizeTest), faster than the checkpoint thread, which
 * looks once a second, starts the log over; and the log file keeps the largest size it reached. So on SQLite the purge
 * keeps the log short itself ({@link WalCheckpointer#keepShort}) each time it may have written a quarter of the restart
 * size.
 */
final class ExpiredKeyPurge {

    private static final int CHUNK = 1000;
    /**
     * The next chunk of expired keys after (received_at, seq): (after received_at, cutoff, after received_at, after
     * seq). PostgreSQL: only those no sink needs (an event some sink still needs has its body, and a run holds that
     * body); SQLite: all of them, {@link HeldEvents#notHeld} picks.
     */
    static String find(Dialect d) {
        return "SELECT e.seq, e.received_at FROM hookhub_events e"
                + " WHERE e.received_at >= ? AND e.received_at < ? AND (e.received_at > ? OR e.seq > ?)"
                + (d == Dialect.POSTGRES ? " AND NOT EXISTS (" + stillNeeded("e.seq") + ")" : "")
                + " ORDER BY e.received_at, e.seq LIMIT " + CHUNK;
    }

    /** PostgreSQL, a condition for NOT EXISTS: is the event with this seq held by some sink's run (dead letters included)? */
    static String stillNeeded(String seq) {
        return "SELECT 1 FROM hookhub_bodies b WHERE b.seq = " + seq + " AND EXISTS (" + PendingSql.runHolding("b") + ")";
    }

    private final ConnectionFactory connections;

    private final Dialect dialect;
    private final HeldEvents held;
    /** SQLite: keeps the write-ahead log short between chunks; null on PostgreSQL. */
    private final WalCheckpointer wal;

    ExpiredKeyPurge(ConnectionFactory connections, WalCheckpointer wal) {
        this.connections = connections;
        this.dialect = connections.dialect();
        this.held = new HeldEvents(dialect);
        this.wal = wal;
    }

    /** Purges every expired key; returns how many. */
    int run(Connection c, long cutoff) throws SQLException {
        int total = 0;
        long afterReceived = Long.MIN_VALUE;
        long afterSeq = Long.MIN_VALUE;
        long unchecked = 0; // keys deleted since the log was last kept short: each may have written a page of it
        while (true) {
            List<long[]> found = new ArrayList<>(); // {seq, received_at}
            try (PreparedStatement ps = c.prepareStatement(find(dialect))) {
                ps.setLong(1, afterReceived);
                ps.setLong(2, cutoff);
                ps.setLong(3, afterReceived);
                ps.setLong(4, afterSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new long[] {rs.getLong(1), rs.getLong(2)});
                    }
                }
            }
            if (found.isEmpty()) {
                return total;
            }
            List<long[]> free = dialect == Dialect.SQLITE ? held.notHeld(c, found) : found;
            if (!free.isEmpty()) {
                int deleted = delete(c, free);
                total += deleted;
                unchecked += deleted;
                if (wal != null && unchecked >= wal.pagesBetweenChecks(c)) {
                    wal.keepShort(c);
                    unchecked = 0;
                }
            }
            long[] last = found.get(found.size() - 1);
            afterSeq = last[0];
            afterReceived = last[1];
            if (found.size() < CHUNK) {
                return total;
            }
        }
    }

    /**
     * Deletes the keys and bodies. Nothing makes an old event needed again (a row only ever holds events that were
     * owed already), so SQLite's look outside the transaction stands; PostgreSQL checks again, which is cheap there.
     */
    private int delete(Connection c, List<long[]> found) throws SQLException {
        return connections.relaxedTransaction(c, tx -> { // lost in a power cut: purged again
            deleteBySeq(tx, "hookhub_bodies", found);
            return deleteBySeq(tx, "hookhub_events", found);
        });
    }

    /** Deletes the rows of these seqs; returns how many. */
    private int deleteBySeq(Connection tx, String table, List<long[]> found) throws SQLException {
        boolean recheck = dialect == Dialect.POSTGRES;
        try (PreparedStatement ps = tx.prepareStatement("DELETE FROM " + table + " WHERE seq = ?"
                + (recheck ? " AND NOT EXISTS (" + stillNeeded("?") + ")" : ""))) {
            for (long[] row : found) {
                ps.setLong(1, row[0]);
                if (recheck) {
                    ps.setLong(2, row[0]);
                }
                ps.addBatch();
            }
            int deleted = 0;
            for (int n : ps.executeBatch()) {
                deleted += Math.max(n, 0);
            }
            return deleted;
        }
    }
}
