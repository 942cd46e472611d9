package hookhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite: each sink's cursor, {@code hookhub_cursors.claimed_up_to}: every event after it is owed to the sink and in
 * no batch yet (see {@link SinkTail}).
 */
final class SinkCursors {

    private static final Logger LOG = LoggerFactory.getLogger(SinkCursors.class);
    /** Rows a disabled sink's owed events are cut into: each small enough to be one batch when it comes back. */
    private static final int CHUNK_EVENTS = 1000;
    private static final long CHUNK_BYTES = 4L << 20;

    private SinkCursors() {
    }

    /**
     * At start, in the schema's transaction. An enabled sink without a cursor starts after the newest event: a sink
     * enabled later does not get older events. A sink that is no longer enabled keeps what it was owed, as unclaimed
     * rows, and loses its cursor: events accepted from now on are not kept for it.
     */
    static void atStart(Connection c, List<String> enabled) throws SQLException {
        long newest = newest(c);
        Map<String, Long> cursors = all(c);
        for (String sink : enabled) {
            if (!cursors.containsKey(sink)) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO hookhub_cursors (sink, claimed_up_to) VALUES (?, ?)")) {
                    ps.setString(1, sink);
                    ps.setLong(2, newest);
                    ps.executeUpdate();
                }
            }
        }
        for (Map.Entry<String, Long> cursor : cursors.entrySet()) {
            if (!enabled.contains(cursor.getKey())) {
                long kept = keepOwed(c, cursor.getKey(), cursor.getValue());
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM hookhub_cursors WHERE sink = ?")) {
                    ps.setString(1, cursor.getKey());
                    ps.executeUpdate();
                }
                if (kept > 0) {
                    LOG.warn("Sink {} is not enabled: the {} events it was still owed wait for it in the store; events accepted from now"
                            + " on are not kept for it", cursor.getKey(), kept);
                }
            }
        }
    }

    /** The events after a disabled sink's cursor, as unclaimed rows of at most CHUNK_EVENTS / CHUNK_BYTES; returns how many. */
    private static long keepOwed(Connection c, String sink, long after) throws SQLException {
        List<long[]> chunks = new ArrayList<>(); // first, last, events, bytes, oldest
        long[] open = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, bytes, received_at FROM hookhub_events WHERE seq > ? ORDER BY seq")) {
            ps.setLong(1, after);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    long bytes = rs.getLong(2);
                    if (open == null || open[2] >= CHUNK_EVENTS || open[3] + bytes > CHUNK_BYTES) {
                        open = new long[] {seq, seq, 0, 0, Long.MAX_VALUE};
                        chunks.add(open);
                    }
                    open[1] = seq;
                    open[2]++;
                    open[3] += bytes;
                    open[4] = Math.min(open[4], rs.getLong(3));
                }
            }
        }
        long events = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO hookhub_pending (sink, seq, last_seq, seg, received_at, events, bytes)"
                + " VALUES (?, ?, ?, 0, ?, ?, ?)")) {
            for (long[] chunk : chunks) {
                ps.setString(1, sink);
                ps.setLong(2, chunk[0]);
                ps.setLong(3, chunk[1]);
                ps.setLong(4, chunk[4]);
                ps.setLong(5, chunk[2]);
                ps.setLong(6, chunk[3]);
                ps.addBatch();
                events += chunk[2];
            }
            ps.executeBatch();
        }
        return events;
    }

    /** Every sink's cursor. */
    static Map<String, Long> all(Connection c) throws SQLException {
        Map<String, Long> cursors = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT sink, claimed_up_to FROM hookhub_cursors")) {
            while (rs.next()) {
                cursors.put(rs.getString(1), rs.getLong(2));
            }
        }
        return cursors;
    }

    static long read(Connection c, String sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT claimed_up_to FROM hookhub_cursors WHERE sink = ?")) {
            ps.setString(1, sink);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("sink " + sink + " has no cursor: it was not enabled when the hub started");
                }
                return rs.getLong(1);
            }
        }
    }

    /** Moves the cursor from expected to to; fails if it is not where the caller saw it. */
    static void move(Connection c, String sink, long expected, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE hookhub_cursors SET claimed_up_to = ? WHERE sink = ? AND claimed_up_to = ?")) {
            ps.setLong(1, to);
            ps.setString(2, sink);
            ps.setLong(3, expected);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("the cursor of sink " + sink + " is no longer at " + expected);
            }
        }
    }

    /** The newest event's seq, 0 in an empty store. */
    static long newest(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(seq) FROM hookhub_events")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
