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
 */
final class ExpiredKeyPurge {

    private static final int CHUNK = 1000;
    /** The next chunk of expired keys after (received_at, seq): (after received_at, cutoff, after received_at, after seq). */
    static final String FIND = "SELECT e.seq, e.received_at FROM hookhub_events e"
            + " WHERE e.received_at >= ? AND e.received_at < ? AND (e.received_at > ? OR e.seq > ?)"
            + " AND NOT EXISTS (" + PendingSql.anyRowFor("e.seq") + ") ORDER BY e.received_at, e.seq LIMIT " + CHUNK;

    private final ConnectionFactory connections;

    ExpiredKeyPurge(ConnectionFactory connections) {
        this.connections = connections;
    }

    /** Purges every expired key; returns how many. */
    int run(Connection c, long cutoff) throws SQLException {
        int total = 0;
        long afterReceived = Long.MIN_VALUE;
        long afterSeq = Long.MIN_VALUE;
        while (true) {
            List<long[]> found = new ArrayList<>(); // {seq, received_at}
            try (PreparedStatement ps = c.prepareStatement(FIND)) {
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
            total += delete(c, found);
            long[] last = found.get(found.size() - 1);
            afterSeq = last[0];
            afterReceived = last[1];
            if (found.size() < CHUNK) {
                return total;
            }
        }
    }

    private int delete(Connection c, List<long[]> found) throws SQLException {
        return connections.transaction(c, tx -> {
            // the NOT EXISTS again: nothing adds rows for an old event, but the check is cheap and keeps it safe
            deleteBySeq(tx, "hookhub_bodies", found);
            return deleteBySeq(tx, "hookhub_events", found);
        });
    }

    /** Deletes the rows of these seqs that no sink still needs; returns how many. */
    private static int deleteBySeq(Connection tx, String table, List<long[]> found) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("DELETE FROM " + table + " WHERE seq = ? AND NOT EXISTS ("
                + PendingSql.anyRowFor("?") + ")")) {
            for (long[] row : found) {
                ps.setLong(1, row[0]);
                ps.setLong(2, row[0]);
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
