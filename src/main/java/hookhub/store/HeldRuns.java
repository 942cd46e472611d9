package hookhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL: the new runs this instance holds in memory for a sink ({@link FreshSegments}); their rows are leased to
 * it. A claim marks the rows with one UPDATE and reads nothing back.
 */
final class HeldRuns {

    private static final Logger LOG = LoggerFactory.getLogger(HeldRuns.class);

    private final SinkConnection db;

    HeldRuns(SinkConnection db) {
        this.db = db;
    }

    /** A batch of held runs, if one is due. */
    Optional<Batch> claim(FreshSegments memory, BatchPolicy policy, long now) throws SQLException {
        List<FreshSegments.Fresh> take = memory.dueBatch(policy, now);
        if (take.isEmpty()) {
            return Optional.empty();
        }
        List<StoredEvent> events = new ArrayList<>();
        for (FreshSegments.Fresh f : take) {
            events.addAll(f.segment().events());
        }
        events.sort(java.util.Comparator.comparingLong(StoredEvent::seq));
        String name = DeliveryQueue.batchName(events.get(0).seq(), events.get(events.size() - 1).seq());
        int claimed = db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql.claimHeld)) {
                ps.setString(1, name);
                ps.setLong(2, now + policy.lease().toMillis());
                ps.setString(3, db.sink);
                ps.setArray(4, seqs(c, take));
                ps.setLong(5, now);
                return ps.executeUpdate();
            }
        });
        memory.remove(take);
        if (claimed != take.size()) {
            // Another instance got there first (only after a lease ran out). Roll ours back and let the store path sort
            // out who has what: the rows are given back, nothing is lost, nothing is sent twice.
            db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE hookhub_pending SET batch = NULL, lease_until = 0,"
                        + " attempts = attempts - 1 WHERE sink = ? AND batch = ? AND dead = 0")) {
                    ps.setString(1, db.sink);
                    ps.setString(2, name);
                    return ps.executeUpdate();
                }
            });
            LOG.warn("Sink {}: {} of {} runs held in memory were claimed elsewhere; reading them from the store instead", db.sink,
                    take.size() - claimed, take.size());
            return Optional.empty();
        }
        return Optional.of(new Batch(db.sink, name, 1, events, true));
    }

    /** Gives the leases of the runs still held back (shutdown), so another instance delivers them at once. */
    void release(FreshSegments memory) {
        List<FreshSegments.Fresh> held = memory.drain();
        if (held.isEmpty()) {
            return;
        }
        try {
            db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(db.sql.releaseHeld)) {
                    ps.setString(1, db.sink);
                    ps.setArray(2, seqs(c, held));
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            LOG.warn("Sink {}: could not give back the leases of {} runs held in memory; they wait for the lease to end: {}",
                    db.sink, held.size(), e.getMessage());
        }
    }

    /** The runs' rows, by their first seq. */
    private static java.sql.Array seqs(Connection c, List<FreshSegments.Fresh> held) throws SQLException {
        Long[] seqs = new Long[held.size()];
        for (int k = 0; k < seqs.length; k++) {
            seqs[k] = held.get(k).segment().first();
        }
        return c.createArrayOf("bigint", seqs);
    }
}
