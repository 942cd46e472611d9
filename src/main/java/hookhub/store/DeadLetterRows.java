package hookhub.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A sink's dead letters: counted by source (the CLI's dead-letters) and put back in line (replay). */
final class DeadLetterRows {

    private final SinkConnection db;

    DeadLetterRows(SinkConnection db) {
        this.db = db;
    }

    /**
     * Puts the dead letters back in line (optionally only those of one source, received since a time). Whole batches
     * are replayed, under their old names, so a sink that may have stored part of one replaces it.
     *
     * @return how many events were put back
     */
    int replay(String source, long since) throws SQLException {
        return db.transaction(c -> {
            Set<String> batches = new LinkedHashSet<>();
            List<long[]> singles = new ArrayList<>(); // seq, events
            try (PreparedStatement ps = c.prepareStatement(PendingSql.deadRowsMatching(source != null))) {
                ps.setString(1, db.sink);
                ps.setLong(2, since);
                if (source != null) {
                    ps.setString(3, source);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(2) != null) {
                            batches.add(rs.getString(2));
                        } else {
                            singles.add(new long[] {rs.getLong(1), rs.getLong(3)});
                        }
                    }
                }
            }
            int events = 0;
            try (PreparedStatement count = c.prepareStatement("SELECT SUM(events) FROM hookhub_pending WHERE sink = ? AND dead = 1 AND batch = ?");
                    PreparedStatement back = c.prepareStatement("UPDATE hookhub_pending SET dead = 0, attempts = 0, lease_until = 0,"
                            + " next_at = 0 WHERE sink = ? AND dead = 1 AND batch = ?")) {
                for (String batch : batches) {
                    count.setString(1, db.sink);
                    count.setString(2, batch);
                    try (ResultSet rs = count.executeQuery()) {
                        events += rs.next() ? rs.getInt(1) : 0;
                    }
                    back.setString(1, db.sink);
                    back.setString(2, batch);
                    back.executeUpdate();
                }
            }
            try (PreparedStatement back = c.prepareStatement("UPDATE hookhub_pending SET dead = 0, attempts = 0, next_at = 0"
                    + " WHERE sink = ? AND dead = 1 AND batch IS NULL AND seq = ?")) {
                for (long[] single : singles) {
                    back.setString(1, db.sink);
                    back.setLong(2, single[0]);
                    back.addBatch();
                    events += (int) single[1];
                }
                back.executeBatch();
            }
            return events;
        });
    }

    /** The dead letters, counted by source, with one of their last errors as an example. */
    List<DeadLetterCount> bySource() throws SQLException {
        return db.transaction(c -> {
            List<DeadLetterCount> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(db.sql.deadLetterCounts)) {
                ps.setString(1, db.sink);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DeadLetterCount(db.sink, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                    }
                }
            }
            return out;
        });
    }
}
