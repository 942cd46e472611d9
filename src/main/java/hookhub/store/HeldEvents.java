package hookhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Which stored events some sink still needs, so that their bodies and keys stay: the events a sink's row holds (a
 * batch in flight, a retry, a dead letter), and on SQLite every event after a sink's cursor.
 *
 * <p>On SQLite each sink's rows never overlap, so "which rows hold seq X" is, per sink, the row that starts at or
 * before X: one seek of the key (sink, dead, seq), however many dead letters there are. On PostgreSQL another
 * instance's runs can interleave with a run, so a body is matched to its run by seg ({@link PendingSql#runHolding}).
 */
final class HeldEvents {

    private final Dialect dialect;

    HeldEvents(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The lowest seq some sink may still need, dead letters aside; Long.MAX_VALUE when no sink needs any. */
    long lowestLive(Connection c) throws SQLException {
        long lowest = Long.MAX_VALUE;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MIN(seq) FROM hookhub_pending WHERE dead = 0")) {
            if (rs.next() && rs.getObject(1) != null) {
                lowest = rs.getLong(1);
            }
        }
        if (dialect == Dialect.SQLITE) {
            for (long cursor : SinkCursors.all(c).values()) {
                lowest = Math.min(lowest, cursor + 1);
            }
        }
        return lowest;
    }

    /**
     * Deletes the bodies in [from, to) that no row holds (mostly dead letters can, below the lowest live seq; but a
     * replay may have just made one live again). Returns how many went.
     */
    int dropBodies(Connection tx, long from, long to) throws SQLException {
        if (dialect == Dialect.POSTGRES) {
            try (PreparedStatement ps = tx.prepareStatement("DELETE FROM hookhub_bodies WHERE seq >= ? AND seq < ?"
                    + " AND NOT EXISTS (" + PendingSql.runHolding("hookhub_bodies") + ")")) {
                ps.setLong(1, from);
                ps.setLong(2, to);
                return ps.executeUpdate();
            }
        }
        List<long[]> held = new ArrayList<>(); // [first, last] ranges of rows in [from, to)
        try (PreparedStatement before = tx.prepareStatement("SELECT seq, last_seq FROM hookhub_pending WHERE sink = ? AND dead = ?"
                + " AND seq < ? ORDER BY seq DESC LIMIT 1");
                PreparedStatement within = tx.prepareStatement("SELECT seq, last_seq FROM hookhub_pending WHERE sink = ? AND dead = ?"
                        + " AND seq >= ? AND seq < ?")) {
            for (String sink : sinksWithRows(tx)) {
                for (int dead = 0; dead <= 1; dead++) {
                    before.setString(1, sink);
                    before.setInt(2, dead);
                    before.setLong(3, from);
                    addRanges(before, held);
                    within.setString(1, sink);
                    within.setInt(2, dead);
                    within.setLong(3, from);
                    within.setLong(4, to);
                    addRanges(within, held);
                }
            }
        }
        held.sort((a, b) -> Long.compare(a[0], b[0]));
        int dropped = 0;
        try (PreparedStatement delete = tx.prepareStatement("DELETE FROM hookhub_bodies WHERE seq >= ? AND seq < ?")) {
            long next = from; // the first seq not yet looked at
            for (long[] range : held) {
                if (range[1] < from) {
                    continue; // the row before ends before this chunk
                }
                if (range[0] > next) {
                    dropped += delete(delete, next, Math.min(range[0], to));
                }
                next = Math.max(next, range[1] + 1);
            }
            if (next < to) {
                dropped += delete(delete, next, to);
            }
        }
        return dropped;
    }

    private static int delete(PreparedStatement delete, long from, long to) throws SQLException {
        delete.setLong(1, from);
        delete.setLong(2, to);
        return delete.executeUpdate();
    }

    private static void addRanges(PreparedStatement ps, List<long[]> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
    }

    /**
     * SQLite: of these events (seq first in each array), the ones no sink needs: after no cursor, held by no row.
     * (PostgreSQL finds them in SQL: see {@link ExpiredKeyPurge}.)
     */
    List<long[]> notHeld(Connection c, List<long[]> events) throws SQLException {
        long lowestCursor = Long.MAX_VALUE;
        for (long cursor : SinkCursors.all(c).values()) {
            lowestCursor = Math.min(lowestCursor, cursor);
        }
        List<String> sinks = sinksWithRows(c);
        List<long[]> free = new ArrayList<>();
        try (PreparedStatement atOrBefore = c.prepareStatement("SELECT last_seq FROM hookhub_pending WHERE sink = ? AND dead = ?"
                + " AND seq <= ? ORDER BY seq DESC LIMIT 1")) {
            for (long[] event : events) {
                long seq = event[0];
                boolean held = seq > lowestCursor;
                for (int i = 0; i < sinks.size() * 2 && !held; i++) {
                    atOrBefore.setString(1, sinks.get(i / 2));
                    atOrBefore.setInt(2, i % 2);
                    atOrBefore.setLong(3, seq);
                    try (ResultSet rs = atOrBefore.executeQuery()) {
                        held = rs.next() && rs.getLong(1) >= seq;
                    }
                }
                if (!held) {
                    free.add(event);
                }
            }
        }
        return free;
    }

    /** The sinks that have rows, one seek each (SQLite has no skip scan of its own). */
    private static List<String> sinksWithRows(Connection c) throws SQLException {
        List<String> sinks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(sink) FROM hookhub_pending WHERE sink > ?")) {
            String after = "";
            while (true) {
                ps.setString(1, after);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getString(1) == null) {
                        return sinks;
                    }
                    after = rs.getString(1);
                    sinks.add(after);
                }
            }
        }
    }
}
