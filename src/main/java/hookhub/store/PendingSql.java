package hookhub.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The statements a sink's {@link DeliveryQueue} runs on {@code hookhub_pending}, each reading only the rows it can
 * act on (see {@link Dialect#schema()}): the key {@code (sink, dead, seq)} for a sink's live rows in seq order and
 * for its dead letters, the partial index {@code hookhub_pending_inflight} for its claimed batches.
 *
 * <p>Why it matters: a sink polls several times a second, and dead letters stay until an operator replays them
 * (millions after a long outage). A poll that walks past them gets slower with every dead letter, and so does
 * every delivery. {@code PendingSqlPlanTest} checks that no statement here does.
 */
final class PendingSql {

    static final String INFLIGHT = "hookhub_pending_inflight";

    /** Is a claimed batch's lease over? (sink, now) */
    final String expiredExists;
    /** How many ready rows are due, their oldest time and size, up to one batch. (sink, now, limit) */
    final String dueSummary;
    /** The first batch whose lease is over. (sink, now) */
    final String expiredBatch;
    /** Takes over that batch, unless another instance just did. (leaseUntil, sink, batch, now) */
    final String reclaim;
    /** The oldest ready rows that are due, in seq order (locked on PostgreSQL). (sink, now, limit) */
    final String readyRows;
    /** SQLite: claims the selected rows as one seq range. (batch, leaseUntil, sink, firstSeq, lastSeq, now) */
    final String claimRange;
    /** PostgreSQL: claims the selected (locked) rows by seq. (batch, leaseUntil, sink, seqs[]) */
    final String claimListed;
    /** A claimed batch's events and bodies. (sink, batch) */
    final String loadBatch;
    /** The sink confirmed the batch. (sink, batch) */
    final String delivered;
    /** The batch failed: keep it and let it be re-claimed at retryAt. (retryAt, error, sink, batch) */
    final String retryLater;
    /** The batch gave up: its rows become dead letters. (error, sink, batch) */
    final String deadLetter;
    /** Per-event outcome: the sink has this event. (sink, seq) */
    final String eventDelivered;
    /** Per-event outcome: the sink refused this event for good: a dead letter. (error, sink, seq) */
    final String eventRefused;
    /** Per-event outcome: failed, leaves its batch to be retried at retryAt, or gives up. (retryAt, error, maxAttempts, sink, seq) */
    final String eventFailed;
    /** Dead letters by source. (sink) */
    final String deadLetterCounts;

    PendingSql(Dialect d) {
        String inflight = d.pending(INFLIGHT);
        expiredExists = "SELECT 1 FROM " + inflight + " WHERE sink = ? AND batch IS NOT NULL AND dead = 0 AND lease_until < ? LIMIT 1";
        dueSummary = "SELECT COUNT(*), MIN(received_at), SUM(bytes) FROM (SELECT received_at, bytes FROM hookhub_pending"
                + " WHERE sink = ? AND dead = 0 AND batch IS NULL AND next_at <= ? ORDER BY seq LIMIT ?) due";
        expiredBatch = "SELECT batch FROM " + inflight + " WHERE sink = ? AND batch IS NOT NULL AND dead = 0 AND lease_until < ?"
                + " ORDER BY seq LIMIT 1" + d.skipLocked;
        reclaim = "UPDATE " + inflight + " SET lease_until = ?, attempts = attempts + 1"
                + " WHERE sink = ? AND batch = ? AND dead = 0 AND lease_until < ?";
        readyRows = "SELECT seq, bytes, received_at FROM hookhub_pending WHERE sink = ? AND dead = 0 AND batch IS NULL AND next_at <= ?"
                + " ORDER BY seq LIMIT ?" + d.skipLocked;
        claimRange = "UPDATE hookhub_pending SET batch = ?, lease_until = ?, attempts = attempts + 1"
                + " WHERE sink = ? AND dead = 0 AND seq BETWEEN ? AND ? AND batch IS NULL AND next_at <= ?";
        claimListed = "UPDATE hookhub_pending SET batch = ?, lease_until = ?, attempts = attempts + 1"
                + " WHERE sink = ? AND dead = 0 AND seq = ANY(?)";
        loadBatch = "SELECT e.seq, e.source, e.received_at, e.partition_at, b.record, p.attempts FROM " + d.pending(INFLIGHT, "p")
                + " JOIN hookhub_events e ON e.seq = p.seq JOIN hookhub_bodies b ON b.seq = p.seq"
                + " WHERE p.sink = ? AND p.batch = ? AND p.dead = 0 ORDER BY p.seq";
        delivered = "DELETE FROM " + inflight + " WHERE sink = ? AND batch = ? AND dead = 0";
        retryLater = "UPDATE " + inflight + " SET lease_until = ?, last_error = ? WHERE sink = ? AND batch = ? AND dead = 0";
        deadLetter = "UPDATE " + inflight + " SET dead = 1, lease_until = 0, last_error = ? WHERE sink = ? AND batch = ? AND dead = 0";
        eventDelivered = "DELETE FROM hookhub_pending WHERE sink = ? AND dead = 0 AND seq = ?";
        eventRefused = "UPDATE hookhub_pending SET dead = 1, batch = NULL, lease_until = 0, last_error = ? WHERE sink = ? AND dead = 0 AND seq = ?";
        eventFailed = "UPDATE hookhub_pending SET batch = NULL, lease_until = 0, next_at = ?, last_error = ?,"
                + " dead = CASE WHEN attempts >= ? THEN 1 ELSE 0 END WHERE sink = ? AND dead = 0 AND seq = ?";
        deadLetterCounts = "SELECT source, MAX(last_error), COUNT(*), MIN(received_at) FROM hookhub_pending"
                + " WHERE sink = ? AND dead = 1 GROUP BY source ORDER BY source";
    }

    /**
     * A subquery for {@code EXISTS}: does any sink (dead letters included) still have the event with this seq?
     * {@code dead IN (0, 1)} is always true; it lets both databases seek the {@code (dead, seq)} index.
     */
    static String anyRowFor(String seq) {
        return "SELECT 1 FROM hookhub_pending p WHERE p.dead IN (0, 1) AND p.seq = " + seq;
    }

    /** The statements a sink runs for every batch, by name (for the plan test). */
    Map<String, String> perBatch() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("expiredExists", expiredExists);
        all.put("dueSummary", dueSummary);
        all.put("expiredBatch", expiredBatch);
        all.put("reclaim", reclaim);
        all.put("readyRows", readyRows);
        all.put("claimRange", claimRange);
        all.put("loadBatch", loadBatch);
        all.put("delivered", delivered);
        all.put("retryLater", retryLater);
        all.put("deadLetter", deadLetter);
        all.put("eventDelivered", eventDelivered);
        all.put("eventRefused", eventRefused);
        all.put("eventFailed", eventFailed);
        all.put("deadLetterCounts", deadLetterCounts);
        return all;
    }
}
