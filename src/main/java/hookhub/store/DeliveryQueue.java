package hookhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One sink's view of the store: claim the oldest undelivered rows as a batch, then mark it delivered, retry it later,
 * or dead-letter it. Each sink has its own queue (and connection), so one sink's outage never holds back another.
 *
 * <p>On PostgreSQL claims use {@code FOR UPDATE SKIP LOCKED}, so several hub instances share the work and each row
 * is delivered by one of them. A claim is a lease: if its instance dies, the batch is re-claimed whole, with the
 * same rows and name, once the lease ran out.
 */
public final class DeliveryQueue implements AutoCloseable {

    private final String sink;
    private final ConnectionFactory connections;
    private final Dialect dialect;
    private final PendingSql sql;
    private Connection connection;

    DeliveryQueue(String sink, ConnectionFactory connections) {
        this.sink = sink;
        this.connections = connections;
        this.dialect = connections.dialect();
        this.sql = new PendingSql(dialect);
    }

    public String sink() {
        return sink;
    }

    /** Claims the next batch that is due for this sink: an expired claim first, else new rows; empty if none is due. */
    public synchronized Optional<Batch> claim(BatchPolicy policy, long now) throws SQLException {
        if (!anythingDue(policy, now)) {
            return Optional.empty(); // most polls find nothing: answer them without taking SQLite's write lock
        }
        Optional<String> name = transaction(c -> {
            Optional<String> expired = reclaimExpired(c, policy, now);
            return expired.isPresent() ? expired : claimNew(c, policy, now);
        });
        // The claim is committed: the rows are this queue's under its lease. Reading them outside the write
        // transaction keeps SQLite's write lock (which every accepted request waits for) short.
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(load(connection, name.get()));
        } catch (SQLException e) {
            forgetIfBroken();
            throw e; // the batch stays claimed and is re-claimed whole when its lease runs out
        }
    }

    /** A cheap read outside any write transaction: is there an expired claim, or a new batch due? */
    private boolean anythingDue(BatchPolicy policy, long now) throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = connections.open();
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.expiredExists)) {
            ps.setString(1, sink);
            ps.setLong(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.dueSummary)) {
            ps.setString(1, sink);
            ps.setLong(2, now);
            ps.setInt(3, policy.maxRecords());
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
            ps.setString(1, sink);
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
            ps.setString(2, sink);
            ps.setString(3, name);
            ps.setLong(4, now);
            if (ps.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        return Optional.of(name);
    }

    private Optional<String> claimNew(Connection c, BatchPolicy policy, long now) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        long bytes = 0;
        long oldest = Long.MAX_VALUE;
        try (PreparedStatement ps = c.prepareStatement(sql.readyRows)) {
            ps.setString(1, sink);
            ps.setLong(2, now);
            ps.setInt(3, policy.maxRecords());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int rowBytes = rs.getInt(2);
                    if (!seqs.isEmpty() && bytes + rowBytes > policy.maxBytes()) {
                        bytes = policy.maxBytes(); // full: the rest waits for the next batch
                        break;
                    }
                    seqs.add(rs.getLong(1));
                    bytes += rowBytes;
                    oldest = Math.min(oldest, rs.getLong(3));
                }
            }
        }
        boolean due = !seqs.isEmpty() && (seqs.size() >= policy.maxRecords() || bytes >= policy.maxBytes()
                || now - oldest >= policy.maxAge().toMillis());
        if (!due) {
            return Optional.empty();
        }
        String name = String.format("%012d-%012d", seqs.get(0), seqs.get(seqs.size() - 1));
        if (dialect == Dialect.SQLITE) {
            claimRange(c, name, seqs, policy, now);
            return Optional.of(name);
        }
        // PostgreSQL: the SELECT above locked exactly these rows (FOR UPDATE SKIP LOCKED); one statement marks them all
        // (one UPDATE per row made each claim of a 5,000-event batch 5,000 statements for the server to run)
        try (PreparedStatement ps = c.prepareStatement(sql.claimListed)) {
            ps.setString(1, name);
            ps.setLong(2, now + policy.lease().toMillis());
            ps.setString(3, sink);
            ps.setArray(4, c.createArrayOf("bigint", seqs.toArray(Long[]::new)));
            int claimed = ps.executeUpdate();
            if (claimed != seqs.size()) {
                throw new SQLException("claimed " + claimed + " rows for batch " + name + ", expected " + seqs.size());
            }
        }
        return Optional.of(name);
    }

    /**
     * SQLite: one process owns the file and this transaction holds the write lock, so the rows between the first and
     * the last selected seq that match the same conditions are exactly the selected ones. One statement instead of
     * one per row keeps the write lock (which acceptance waits for) short.
     */
    private void claimRange(Connection c, String name, List<Long> seqs, BatchPolicy policy, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.claimRange)) {
            ps.setString(1, name);
            ps.setLong(2, now + policy.lease().toMillis());
            ps.setString(3, sink);
            ps.setLong(4, seqs.get(0));
            ps.setLong(5, seqs.get(seqs.size() - 1));
            ps.setLong(6, now);
            int claimed = ps.executeUpdate();
            if (claimed != seqs.size()) {
                throw new SQLException("claimed " + claimed + " rows for batch " + name + ", expected " + seqs.size());
            }
        }
    }

    private Batch load(Connection c, String name) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        int attempt = 1;
        try (PreparedStatement ps = c.prepareStatement(sql.loadBatch)) {
            ps.setString(1, sink);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new StoredEvent(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getBytes(5)));
                    attempt = Math.max(attempt, rs.getInt(6));
                }
            }
        }
        return new Batch(sink, name, attempt, List.copyOf(events));
    }

    /**
     * The sink confirmed every row of the batch: forget them for this sink (all at once: a batch is re-sent whole or
     * not at all). Bodies no sink needs any more are dropped later by {@link BodyReaper}, in small steps.
     */
    public synchronized void delivered(Batch batch) throws SQLException {
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.delivered)) {
                ps.setString(1, sink);
                ps.setString(2, batch.name());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The batch failed as a whole: keep it (same rows, same name) and let it be re-claimed after the backoff. */
    public synchronized void retryLater(Batch batch, String error, long retryAt) throws SQLException {
        update(sql.retryLater, retryAt, truncate(error), batch.name());
    }

    /**
     * Gives up on the batch for this sink: its rows become dead letters, kept with the error until replayed. They
     * keep their batch name, so a replay sends the same rows under the same name again.
     */
    public synchronized void deadLetter(Batch batch, String error) throws SQLException {
        update(sql.deadLetter, null, truncate(error), batch.name());
    }

    /**
     * Records a per-event outcome in one transaction: confirmed rows are done; refused rows become dead letters with
     * their reason; failed rows leave the batch and wait until retryAt to join a new one, or become dead letters once
     * they used up maxAttempts.
     */
    public synchronized void settle(Batch batch, List<StoredEvent> delivered, List<StoredEvent> failed, String failure,
            java.util.Map<StoredEvent, String> refused, long retryAt, int maxAttempts) throws SQLException {
        transaction(c -> {
            try (PreparedStatement done = c.prepareStatement(sql.eventDelivered)) {
                for (StoredEvent e : delivered) {
                    done.setString(1, sink);
                    done.setLong(2, e.seq());
                    done.addBatch();
                }
                done.executeBatch();
            }
            try (PreparedStatement dead = c.prepareStatement(sql.eventRefused)) {
                for (java.util.Map.Entry<StoredEvent, String> e : refused.entrySet()) {
                    dead.setString(1, truncate(e.getValue()));
                    dead.setString(2, sink);
                    dead.setLong(3, e.getKey().seq());
                    dead.addBatch();
                }
                dead.executeBatch();
            }
            try (PreparedStatement retry = c.prepareStatement(sql.eventFailed)) {
                for (StoredEvent e : failed) {
                    retry.setLong(1, retryAt);
                    retry.setString(2, truncate(failure));
                    retry.setInt(3, maxAttempts);
                    retry.setString(4, sink);
                    retry.setLong(5, e.seq());
                    retry.addBatch();
                }
                retry.executeBatch();
            }
            return null;
        });
    }

    /**
     * Puts this sink's dead letters back in line (optionally only those of one source, received since a time).
     * Whole batches are replayed, under their old names, so a sink that may have stored part of one replaces it.
     *
     * @return how many events were put back
     */
    public synchronized int replayDeadLetters(String source, long since) throws SQLException {
        return transaction(c -> {
            String match = " WHERE sink = ? AND dead = 1" + (source == null ? "" : " AND source = ?") + " AND received_at >= ?";
            int n;
            try (PreparedStatement batches = c.prepareStatement("UPDATE hookhub_pending SET dead = 0, attempts = 0, lease_until = 0,"
                    + " next_at = 0 WHERE sink = ? AND dead = 1 AND batch IN (SELECT batch FROM hookhub_pending" + match + ")")) {
                int i = 1;
                batches.setString(i++, sink);
                batches.setString(i++, sink);
                if (source != null) {
                    batches.setString(i++, source);
                }
                batches.setLong(i, since);
                n = batches.executeUpdate();
            }
            try (PreparedStatement single = c.prepareStatement("UPDATE hookhub_pending SET dead = 0, attempts = 0, next_at = 0"
                    + match + " AND batch IS NULL")) {
                int i = 1;
                single.setString(i++, sink);
                if (source != null) {
                    single.setString(i++, source);
                }
                single.setLong(i, since);
                n += single.executeUpdate();
            }
            return n;
        });
    }

    /** Dead letters of this sink, counted by source, with one of their last errors as an example. */
    public synchronized List<DeadLetterCount> deadLetters() throws SQLException {
        return transaction(c -> {
            List<DeadLetterCount> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.deadLetterCounts)) {
                ps.setString(1, sink);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DeadLetterCount(sink, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                    }
                }
            }
            return out;
        });
    }

    private void update(String statement, Long first, String error, String batchName) throws SQLException {
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                int i = 1;
                if (first != null) {
                    ps.setLong(i++, first);
                }
                ps.setString(i++, error);
                ps.setString(i++, sink);
                ps.setString(i, batchName);
                return ps.executeUpdate();
            }
        });
    }

    private static String truncate(String s) {
        if (s == null) {
            return null;
        }
        return s.length() <= 2000 ? s : s.substring(0, 2000);
    }

    /** Runs work in a transaction on this queue's connection; a connection that failed is reopened next time. */
    private <T> T transaction(ConnectionFactory.SqlWork<T> work) throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = connections.open();
        }
        try {
            return connections.transaction(connection, work);
        } catch (SQLException e) {
            forgetIfBroken();
            throw e;
        }
    }

    private void forgetIfBroken() throws SQLException {
        if (connection != null && !connection.isValid(2)) {
            connections.closeQuietly(connection);
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        connections.closeQuietly(connection);
        connection = null;
    }
}
