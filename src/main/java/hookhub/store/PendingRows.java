package hookhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A sink's rows in {@code hookhub_pending} that wait in the store: batches whose lease ran out (a retry, a restart, an
 * instance that died), events that failed on their own, and (PostgreSQL) runs no instance holds in memory. Claims them
 * as a batch and reads the batch back.
 *
 * <p>On PostgreSQL claims use {@code FOR UPDATE SKIP LOCKED}, so several hub instances share the work and each row
 * is delivered by one of them. A claim is a lease: if its instance dies, the batch is re-claimed whole, with the
 * same rows and name, once the lease ran out.
 */
final class PendingRows {

    private final SinkConnection db;
    private final PendingSql sql;

    PendingRows(SinkConnection db) {
        this.db = db;
        this.sql = db.sql;
    }

    /** The next batch of rows that is due (an expired claim first), claimed and read back; empty if none is due. */
    Optional<Batch> claim(BatchPolicy policy, long now) throws SQLException {
        if (!anythingDue(policy, now)) {
            return Optional.empty(); // most polls find nothing: answer them without taking SQLite's write lock
        }
        Optional<String> name = db.transaction(c -> {
            Optional<String> expired = reclaimExpired(c, policy, now);
            return expired.isPresent() ? expired : claimReady(c, policy, now);
        });
        // The claim is committed: the rows are this sink's under its lease. Reading them outside the write
        // transaction keeps SQLite's write lock (which every accepted request waits for) short.
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(load(name.get()));
        } catch (SQLException e) {
            db.forgetIfBroken();
            throw e; // the batch stays claimed and is re-claimed whole when its lease runs out
        }
    }

    /** A cheap read outside any write transaction: is there an expired claim, or a batch of ready rows due? */
    private boolean anythingDue(BatchPolicy policy, long now) throws SQLException {
        Connection c = db.get();
        try (PreparedStatement ps = c.prepareStatement(sql.expiredExists)) {
            ps.setString(1, db.sink);
            ps.setLong(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(sql.dueSummary)) {
            bindReady(ps, policy, now);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getLong(1) == 0) {
                    return false;
                }
                return rs.getLong(1) >= policy.maxRecords() || rs.getLong(3) >= policy.maxBytes()
                        || now - rs.getLong(2) >= policy.maxAge().toMillis();
            }
        }
    }

    private Optional<String> reclaimExpired(Connection c, BatchPolicy policy, long now) throws SQLException {
        String name = null;
        try (PreparedStatement ps = c.prepareStatement(sql.expiredBatch)) {
            ps.setString(1, db.sink);
            ps.setLong(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    name = rs.getString(1);
                }
            }
        }
        if (name == null) {
            return Optional.empty();
        }
        // The lease check in the UPDATE makes a second instance racing for the same batch update nothing.
        try (PreparedStatement ps = c.prepareStatement(sql.reclaim)) {
            ps.setLong(1, now + policy.lease().toMillis());
            ps.setString(2, db.sink);
            ps.setString(3, name);
            ps.setLong(4, now);
            if (ps.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        return Optional.of(name);
    }

    private Optional<String> claimReady(Connection c, BatchPolicy policy, long now) throws SQLException {
        List<Long> seqs = new ArrayList<>(); // the rows' first seqs
        long lastSeq = 0;
        long records = 0;
        long bytes = 0;
        long oldest = Long.MAX_VALUE;
        boolean full = false;
        try (PreparedStatement ps = c.prepareStatement(sql.readyRows)) {
            bindReady(ps, policy, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long rowBytes = rs.getLong(2);
                    int rowEvents = rs.getInt(4);
                    if (!seqs.isEmpty() && (bytes + rowBytes > policy.maxBytes() || records + rowEvents > policy.maxRecords())) {
                        full = true; // the rest waits for the next batch
                        break;
                    }
                    seqs.add(rs.getLong(1));
                    lastSeq = Math.max(lastSeq, rs.getLong(5));
                    bytes += rowBytes;
                    records += rowEvents;
                    oldest = Math.min(oldest, rs.getLong(3));
                }
            }
        }
        boolean due = !seqs.isEmpty() && (full || records >= policy.maxRecords() || bytes >= policy.maxBytes()
                || now - oldest >= policy.maxAge().toMillis());
        if (!due) {
            return Optional.empty();
        }
        // named after its first and last event: fixed at the claim, kept by retries
        String name = DeliveryQueue.batchName(seqs.get(0), lastSeq);
        int claimed;
        if (db.dialect() == Dialect.SQLITE) {
            // One process owns the file and this transaction holds the write lock, so the rows between the first and
            // the last selected one that match the same conditions are exactly the selected ones: one statement.
            try (PreparedStatement ps = c.prepareStatement(sql.claimRange)) {
                ps.setString(1, name);
                ps.setLong(2, now + policy.lease().toMillis());
                ps.setString(3, db.sink);
                ps.setLong(4, seqs.get(0));
                ps.setLong(5, seqs.get(seqs.size() - 1));
                ps.setLong(6, now);
                ps.setLong(7, now);
                claimed = ps.executeUpdate();
            }
        } else {
            // PostgreSQL: the SELECT above locked exactly these rows (FOR UPDATE SKIP LOCKED); one statement marks them
            try (PreparedStatement ps = c.prepareStatement(sql.claimListed)) {
                ps.setString(1, name);
                ps.setLong(2, now + policy.lease().toMillis());
                ps.setString(3, db.sink);
                ps.setArray(4, c.createArrayOf("bigint", seqs.toArray(Long[]::new)));
                claimed = ps.executeUpdate();
            }
        }
        if (claimed != seqs.size()) {
            throw new SQLException("claimed " + claimed + " rows for batch " + name + ", expected " + seqs.size());
        }
        return Optional.of(name);
    }

    /** The ready rows' parameters: (sink, now, now, limit). */
    private void bindReady(PreparedStatement ps, BatchPolicy policy, long now) throws SQLException {
        ps.setString(1, db.sink);
        ps.setLong(2, now);
        ps.setLong(3, now);
        ps.setInt(4, policy.maxRecords());
    }

    /** A claimed batch's events, read back through its rows. */
    Batch load(String name) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        int attempt = 1;
        try (PreparedStatement ps = db.get().prepareStatement(sql.loadBatch)) {
            ps.setString(1, db.sink);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new StoredEvent(rs.getLong(1), rs.getLong(7), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getBytes(5)));
                    attempt = Math.max(attempt, rs.getInt(6));
                }
            }
        }
        return new Batch(db.sink, name, attempt, List.copyOf(events), false);
    }
}
