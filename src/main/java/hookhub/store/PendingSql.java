package hookhub.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The statements a sink's {@link DeliveryQueue} runs on {@code hookhub_pending}, each reading only the rows it can
 * act on (see {@link Dialect#schema()}): the key {@code (sink, dead, seq)} for a sink's live rows in seq order and
 * for its dead letters, the partial index {@code hookhub_pending_inflight} for its claimed batches. A row stands for
 * a range of events; a row's {@code seq} is its first event's.
 *
 * <p>Why it matters: a sink polls several times a second, and dead letters stay until an operator replays them
 * (millions after a long outage). A poll that walks past them gets slower with every dead letter, and so does
 * every delivery. {@code PendingSqlPlanTest} checks that no statement here does.
 */
final class PendingSql {

    static final String INFLIGHT = "hookhub_pending_inflight";

    /** Is a claimed batch's lease over? (sink, now) */
    final String expiredExists;
    /** How many unleased ready events are due, their oldest time and size, up to one batch of rows. (sink, now, now, limit) */
    final String dueSummary;
    /** The first batch whose lease is over. (sink, now) */
    final String expiredBatch;
    /** Takes over that batch, unless another instance just did. (leaseUntil, sink, batch, now) */
    final String reclaim;
    /** The oldest unleased ready rows that are due, in seq order (locked on PostgreSQL). (sink, now, now, limit) */
    final String readyRows;
    /** SQLite: claims the selected rows as one seq range. (batch, leaseUntil, sink, firstSeq, lastSeq, now, now) */
    final String claimRange;
    /** PostgreSQL: claims the selected (locked) rows by seq. (batch, leaseUntil, sink, seqs[]) */
    final String claimListed;
    /** PostgreSQL: claims runs this instance holds in memory, still unclaimed and leased to it. (batch, leaseUntil, sink, seqs[], now) */
    final String claimHeld;
    /** PostgreSQL: gives the leases of runs held in memory back (shutdown). (sink, seqs[]) */
    final String releaseHeld;
    /** SQLite: the events after a sink's cursor, up to a seq, in order: one batch at most. (after, upTo, limit) */
    final String tail;
    /** SQLite: a batch claimed from the events after the cursor. (sink, seq, lastSeq, receivedAt, events, bytes, batch, leaseUntil) */
    final String insertClaimed;
    /** A claimed batch's events and bodies, through its rows. (sink, batch) */
    final String loadBatch;
    /** The sink confirmed the batch. (sink, batch) */
    final String delivered;
    /** The batch failed: keep it and let it be re-claimed at retryAt. (retryAt, error, sink, batch) */
    final String retryLater;
    /** The batch gave up: its rows become dead letters. (error, sink, batch) */
    final String deadLetter;
    /**
     * Per-event outcome: a row of its own for one event of a settled batch, waiting for a retry or dead.
     * (sink, seq, lastSeq, seg, receivedAt, bytes, attempts, nextAt, dead, error)
     */
    final String insertSingle;
    /** Dead letters by source: their rows' events. (sink) */
    final String deadLetterCounts;

    PendingSql(Dialect d) {
        String inflight = d.pending(INFLIGHT);
        String ready = "sink = ? AND dead = 0 AND batch IS NULL AND next_at <= ? AND lease_until < ?";
        expiredExists = "SELECT 1 FROM " + inflight + " WHERE sink = ? AND batch IS NOT NULL AND dead = 0 AND lease_until < ? LIMIT 1";
        dueSummary = "SELECT SUM(events), MIN(received_at), SUM(bytes) FROM (SELECT events, received_at, bytes FROM hookhub_pending"
                + " WHERE " + ready + " ORDER BY seq LIMIT ?) due";
        expiredBatch = "SELECT batch FROM " + inflight + " WHERE sink = ? AND batch IS NOT NULL AND dead = 0 AND lease_until < ?"
                + " ORDER BY seq LIMIT 1" + d.skipLocked;
        reclaim = "UPDATE " + inflight + " SET lease_until = ?, attempts = attempts + 1"
                + " WHERE sink = ? AND batch = ? AND dead = 0 AND lease_until < ?";
        readyRows = "SELECT seq, bytes, received_at, events, last_seq FROM hookhub_pending WHERE " + ready + " ORDER BY seq LIMIT ?"
                + d.skipLocked;
        claimRange = "UPDATE hookhub_pending SET batch = ?, lease_until = ?, attempts = attempts + 1"
                + " WHERE sink = ? AND dead = 0 AND seq BETWEEN ? AND ? AND batch IS NULL AND next_at <= ? AND lease_until < ?";
        claimListed = "UPDATE hookhub_pending SET batch = ?, lease_until = ?, attempts = attempts + 1"
                + " WHERE sink = ? AND dead = 0 AND seq = ANY(?)";
        claimHeld = "UPDATE hookhub_pending SET batch = ?, lease_until = ?, attempts = attempts + 1"
                + " WHERE sink = ? AND dead = 0 AND seq = ANY(?) AND batch IS NULL AND lease_until >= ?";
        releaseHeld = "UPDATE hookhub_pending SET lease_until = 0 WHERE sink = ? AND dead = 0 AND seq = ANY(?) AND batch IS NULL";
        tail = "SELECT seq, bytes, received_at FROM hookhub_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?";
        insertClaimed = "INSERT INTO hookhub_pending (sink, seq, last_seq, seg, received_at, events, bytes, batch, lease_until, attempts)"
                + " VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, 1)";
        loadBatch = "SELECT b.seq, e.source, e.received_at, e.partition_at, b.record, p.attempts, b.seg FROM " + d.pending(INFLIGHT, "p")
                + " JOIN hookhub_bodies b ON b.seq BETWEEN p.seq AND p.last_seq AND b.seg = p.seg JOIN hookhub_events e ON e.seq = b.seq"
                + " WHERE p.sink = ? AND p.batch = ? AND p.dead = 0 ORDER BY b.seq";
        delivered = "DELETE FROM " + inflight + " WHERE sink = ? AND batch = ? AND dead = 0";
        retryLater = "UPDATE " + inflight + " SET lease_until = ?, last_error = ? WHERE sink = ? AND batch = ? AND dead = 0";
        deadLetter = "UPDATE " + inflight + " SET dead = 1, lease_until = 0, last_error = ? WHERE sink = ? AND batch = ? AND dead = 0";
        insertSingle = "INSERT INTO hookhub_pending (sink, seq, last_seq, seg, received_at, events, bytes, attempts, next_at,"
                + " dead, last_error) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)";
        String eventsOf = " JOIN hookhub_bodies b ON b.seq BETWEEN p.seq AND p.last_seq AND b.seg = p.seg JOIN hookhub_events e ON e.seq = b.seq";
        deadLetterCounts = "SELECT e.source, MAX(p.last_error), COUNT(*), MIN(e.received_at) FROM hookhub_pending p" + eventsOf
                + " WHERE p.sink = ? AND p.dead = 1 GROUP BY e.source ORDER BY e.source";
    }

    /**
     * The dead rows a replay starts from: (sink, since) and, with a source, the rows holding an event of that source.
     * Returns seq, batch, events.
     */
    static String deadRowsMatching(boolean bySource) {
        return "SELECT p.seq, p.batch, p.events FROM hookhub_pending p WHERE p.sink = ? AND p.dead = 1 AND p.received_at >= ?"
                + (bySource ? " AND EXISTS (SELECT 1 FROM hookhub_bodies b JOIN hookhub_events e ON e.seq = b.seq"
                        + " WHERE b.seq BETWEEN p.seq AND p.last_seq AND b.seg = p.seg AND e.source = ?)" : "");
    }

    /**
     * A condition for {@code NOT EXISTS (…)}, PostgreSQL: does a run some sink still has (dead letters included) hold
     * the body {@code body} (an alias or table name of hookhub_bodies)? One seek of {@code hookhub_pending_seg}.
     */
    static String runHolding(String body) {
        return "SELECT 1 FROM hookhub_pending p WHERE p.seg = " + body + ".seg AND p.seq <= " + body + ".seq AND p.last_seq >= "
                + body + ".seq";
    }

    /** The statements a sink runs for every batch, by name (for the plan test). */
    Map<String, String> perBatch(Dialect d) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("expiredExists", expiredExists);
        all.put("dueSummary", dueSummary);
        all.put("expiredBatch", expiredBatch);
        all.put("reclaim", reclaim);
        all.put("readyRows", readyRows);
        if (d == Dialect.SQLITE) {
            all.put("claimRange", claimRange);
        } else {
            all.put("claimListed", claimListed);
            all.put("claimHeld", claimHeld);
            all.put("releaseHeld", releaseHeld);
        }
        all.put("loadBatch", loadBatch);
        all.put("delivered", delivered);
        all.put("retryLater", retryLater);
        all.put("deadLetter", deadLetter);
        all.put("deadLetterCounts", deadLetterCounts);
        return all;
    }
}
