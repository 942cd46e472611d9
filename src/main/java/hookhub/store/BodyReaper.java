package hookhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Drops the bodies ({@code hookhub_bodies}) of events that every sink has confirmed; the event's key row stays for
 * deduplication until the dedup window ends. It works in seq order in small transactions, behind a mark, so acceptance (which waits for the same
 * write lock on SQLite) never waits long behind it; a sink's confirmation then only has to delete its own rows.
 *
 * <p>The mark never passes an event some sink still has to deliver. Dead letters below the mark keep their bodies
 * (they still have pending rows); a body the mark passed while it was a dead letter goes with its row when the dedup
 * window ends, or at the next start (the mark starts at the oldest body).
 */
final class BodyReaper {

    private static final int CHUNK = 1000;
    private static final int MAX_CHUNKS_PER_RUN = 200;

    private final ConnectionFactory connections;
    /** The first seq not looked at yet; -1 until the first run. */
    private long mark = -1;

    BodyReaper(ConnectionFactory connections) {
        this.connections = connections;
    }

    /** Drops what it can now, up to {@value #MAX_CHUNKS_PER_RUN} chunks; returns how many bodies were dropped. */
    int run(Connection c) throws SQLException {
        if (mark < 0) {
            mark = firstLong(c, "SELECT MIN(seq) FROM hookhub_bodies", 0); // also finds what a crash left behind
        }
        long stillNeeded = firstLong(c, "SELECT MIN(seq) FROM hookhub_pending WHERE dead = 0", -1);
        long upper = stillNeeded >= 0 ? stillNeeded : firstLong(c, "SELECT MAX(seq) FROM hookhub_bodies", -1) + 1;
        int dropped = 0;
        for (int i = 0; i < MAX_CHUNKS_PER_RUN && mark < upper; i++) {
            long from = mark;
            long to = Math.min(upper, from + CHUNK);
            dropped += connections.transaction(c, tx -> {
                try (PreparedStatement ps = tx.prepareStatement("DELETE FROM hookhub_bodies WHERE seq >= ? AND seq < ?"
                        + " AND NOT EXISTS (" + PendingSql.anyRowFor("hookhub_bodies.seq") + ")")) {
                    ps.setLong(1, from);
                    ps.setLong(2, to);
                    return ps.executeUpdate();
                }
            });
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
