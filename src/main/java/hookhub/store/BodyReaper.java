package hookhub.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Drops the bodies ({@code hookhub_bodies}) of events that every sink has confirmed; the event's key row stays for
 * deduplication until the dedup window ends. It works in seq order in small transactions, behind a mark, so acceptance (which waits for the same
 * write lock on SQLite) never waits long behind it; a sink's confirmation then only has to delete its own rows.
 *
 * <p>The mark never passes an event some sink still has to deliver (see {@link HeldEvents}). Dead letters below the mark keep their bodies (a run still holds them); a body the mark passed while it was a
 * dead letter goes with its key when the dedup window ends, or at the next start (the mark starts at the oldest body).
 */
final class BodyReaper {

    /** Bodies per transaction: each holds the write lock, which acceptance waits for, a few milliseconds at most. */
    private static final int CHUNK = 250;
    private static final int MAX_CHUNKS_PER_RUN = 800;

    private final ConnectionFactory connections;
    private final HeldEvents held;
    /** The first seq not looked at yet; -1 until the first run. */
    private long mark = -1;

    BodyReaper(ConnectionFactory connections) {
        this.connections = connections;
        this.held = new HeldEvents(connections.dialect());
    }

    /** Drops what it can now, up to {@value #MAX_CHUNKS_PER_RUN} chunks; returns how many bodies were dropped. */
    int run(Connection c) throws SQLException {
        if (mark < 0) {
            mark = firstLong(c, "SELECT MIN(seq) FROM hookhub_bodies", 0); // also finds what a crash left behind
        }
        long stillNeeded = held.lowestLive(c);
        long upper = stillNeeded != Long.MAX_VALUE ? stillNeeded : firstLong(c, "SELECT MAX(seq) FROM hookhub_bodies", -1) + 1;
        int dropped = 0;
        for (int i = 0; i < MAX_CHUNKS_PER_RUN && mark < upper; i++) {
            long from = mark;
            long to = Math.min(upper, from + CHUNK);
            dropped += connections.relaxedTransaction(c, tx -> held.dropBodies(tx, from, to)); // lost in a power cut: dropped again
            mark = to;
        }
        return dropped;
    }

    private static long firstLong(Connection c, String sql, long ifNull) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return ifNull;
            }
            long v = rs.getLong(1);
            return rs.wasNull() ? ifNull : v;
        }
    }
}
