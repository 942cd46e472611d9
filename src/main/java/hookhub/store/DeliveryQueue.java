package hookhub.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One sink's view of the store: claim a batch, then mark it delivered, retry it later, or dead-letter it. Each sink
 * has its own queue (and connection), so one sink's outage never holds back another.
 *
 * <p>A claim takes the sink's rows that wait in the store first ({@link PendingRows}: batches whose lease ran out,
 * events that failed on their own), then new events: on SQLite the events after the sink's cursor ({@link SinkTail}),
 * on PostgreSQL the runs the group commit wrote for it ({@link HeldRuns}, or {@link PendingRows} for the runs no
 * instance holds in memory). New events come from memory when the group commit handed them over
 * ({@link FreshSegments}), and such a claim reads nothing back.
 *
 * <p>A claimed batch is one or more {@code hookhub_pending} rows under the batch's name (its first and last seq) and
 * a lease. A batch that is retried or re-claimed after a crash keeps its rows and its name, so a sink that names its
 * output after the batch replaces it instead of adding a copy.
 */
public final class DeliveryQueue implements AutoCloseable {

    private final SinkConnection db;
    private final PendingRows rows;
    private final DeadLetterRows deadLetters;
    /** SQLite: the events after this sink's cursor; null on PostgreSQL. */
    private final SinkTail tail;
    /** PostgreSQL: runs held in memory; null on SQLite. */
    private final HeldRuns held;
    /** New events handed over in memory; null until {@link #deliverFromMemory} (then the writer offers them). */
    private volatile FreshSegments fresh;

    DeliveryQueue(String sink, ConnectionFactory connections) {
        this.db = new SinkConnection(sink, connections);
        this.rows = new PendingRows(db);
        this.deadLetters = new DeadLetterRows(db);
        boolean sqlite = connections.dialect() == Dialect.SQLITE;
        this.tail = sqlite ? new SinkTail(db, rows) : null;
        this.held = sqlite ? null : new HeldRuns(db);
    }

    public String sink() {
        return db.sink;
    }

    /**
     * From now on the group commit hands this sink its new events in memory, up to budgetBytes of lines waiting (on
     * PostgreSQL their rows leased to this instance for the policy's lease). Call before events are accepted.
     */
    public void deliverFromMemory(BatchPolicy policy, long budgetBytes) {
        fresh = budgetBytes > 0 ? new FreshSegments(budgetBytes, policy.lease().toMillis()) : null;
    }

    /** The in-memory hand-off, or null. */
    FreshSegments fresh() {
        return fresh;
    }

    /**
     * Claims the next batch that is due for this sink: an expired claim first, then rows waiting in the store, then
     * new events; empty if none is due.
     */
    public synchronized Optional<Batch> claim(BatchPolicy policy, long now) throws SQLException {
        Optional<Batch> batch = rows.claim(policy, now);
        if (batch.isPresent()) {
            return batch;
        }
        FreshSegments memory = fresh;
        if (tail != null) {
            return tail.claim(memory, policy, now);
        }
        return memory == null ? Optional.empty() : held.claim(memory, policy, now);
    }

    /** A batch's name: its first and last event's seq. */
    static String batchName(long first, long last) {
        return String.format("%012d-%012d", first, last);
    }

    /**
     * The sink confirmed every event of the batch: its rows go (all at once: a batch is re-sent whole or not at all).
     * Bodies no sink needs any more are dropped later by {@link BodyReaper}, in small steps.
     */
    public synchronized void delivered(Batch batch) throws SQLException {
        // if a power cut loses this, the batch goes again under its name: the lake and S3 replace it, Firehose repeats it
        db.relaxedTransaction(c -> deleteRows(c, batch));
    }

    private int deleteRows(java.sql.Connection c, Batch batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(db.sql.delivered)) {
            ps.setString(1, db.sink);
            ps.setString(2, batch.name());
            return ps.executeUpdate();
        }
    }

    /** The batch failed as a whole: keep it (same rows, same name) and let it be re-claimed after the backoff. */
    public synchronized void retryLater(Batch batch, String error, long retryAt) throws SQLException {
        update(db.sql.retryLater, retryAt, SinkConnection.truncate(error), batch.name());
    }

    /**
     * Gives up on the batch for this sink: its rows become dead letters, kept with the error until replayed. They
     * keep their batch name, so a replay sends the same rows under the same name again.
     */
    public synchronized void deadLetter(Batch batch, String error) throws SQLException {
        update(db.sql.deadLetter, null, SinkConnection.truncate(error), batch.name());
    }

    /**
     * Records a per-event outcome in one transaction: the batch's rows go; confirmed events are done; refused ones
     * become dead letters with their reason, each in a row of its own; failed ones get a row of their own that waits
     * until retryAt to join a new batch, or is a dead letter once the batch used up maxAttempts.
     */
    public synchronized void settle(Batch batch, List<StoredEvent> delivered, List<StoredEvent> failed, String failure,
            Map<StoredEvent, String> refused, long retryAt, int maxAttempts) throws SQLException {
        db.relaxedTransaction(c -> {
            deleteRows(c, batch);
            try (PreparedStatement single = c.prepareStatement(db.sql.insertSingle)) {
                for (Map.Entry<StoredEvent, String> e : refused.entrySet()) {
                    addSingle(single, e.getKey(), batch.attempt(), 0, true, e.getValue());
                }
                boolean exhausted = batch.attempt() >= maxAttempts;
                for (StoredEvent e : failed) {
                    addSingle(single, e, batch.attempt(), retryAt, exhausted, failure);
                }
                single.executeBatch();
            }
            return null;
        });
    }

    private void addSingle(PreparedStatement ps, StoredEvent e, int attempts, long nextAt, boolean dead, String error)
            throws SQLException {
        ps.setString(1, db.sink);
        ps.setLong(2, e.seq());
        ps.setLong(3, e.seq());
        ps.setLong(4, e.seg());
        ps.setLong(5, e.receivedAt());
        ps.setLong(6, e.line().length);
        ps.setInt(7, attempts);
        ps.setLong(8, nextAt);
        ps.setInt(9, dead ? 1 : 0);
        ps.setString(10, SinkConnection.truncate(error));
        ps.addBatch();
    }

    /**
     * Puts this sink's dead letters back in line (optionally only those of one source, received since a time).
     *
     * @return how many events were put back
     */
    public synchronized int replayDeadLetters(String source, long since) throws SQLException {
        return deadLetters.replay(source, since);
    }

    /** Dead letters of this sink, counted by source, with one of their last errors as an example. */
    public synchronized List<DeadLetterCount> deadLetters() throws SQLException {
        return deadLetters.bySource();
    }

    /** A retry time or a dead letter: lost in a power cut, the batch is tried once more. */
    private void update(String statement, Long first, String error, String batchName) throws SQLException {
        db.relaxedTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                int i = 1;
                if (first != null) {
                    ps.setLong(i++, first);
                }
                ps.setString(i++, error);
                ps.setString(i++, db.sink);
                ps.setString(i, batchName);
                return ps.executeUpdate();
            }
        });
    }

    /** Stops. On PostgreSQL the leases of runs still held in memory are given back, so another instance takes them at once. */
    @Override
    public synchronized void close() {
        FreshSegments memory = fresh;
        if (memory != null && held != null) {
            held.release(memory);
        }
        db.close();
    }
}
