package hookhub.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQLite: where a sink's new events come from. One writer hands out seqs in commit order, so nothing can appear below
 * a seq a reader has seen, and a sink needs one number instead of a row per event: its cursor
 * ({@code hookhub_cursors.claimed_up_to}). Every event after the cursor is owed to the sink and in no batch yet.
 *
 * <p>A claim writes one {@code hookhub_pending} row for the batch (its seq range, name and lease) and moves the cursor
 * past it, in one transaction: after a crash the row is re-claimed whole, under the same name, like any batch. Its
 * events come from memory when the group commit handed them over and memory continues where the cursor stands, else
 * from the store.
 */
final class SinkTail {

    private final SinkConnection db;
    private final PendingSql sql;
    /** Reads a claimed batch back by its name. */
    private final PendingRows rows;
    /** The cursor as last read or written; -1 until first read. */
    private long cursor = -1;

    SinkTail(SinkConnection db, PendingRows rows) {
        this.db = db;
        this.sql = db.sql;
        this.rows = rows;
    }

    /** The next batch of new events, if one is due. */
    Optional<Batch> claim(FreshSegments memory, BatchPolicy policy, long now) throws SQLException {
        try {
            if (cursor < 0) {
                cursor = SinkCursors.read(db.get(), db.sink);
            }
            long memoryFrom = memory == null ? Long.MAX_VALUE : memory.continuesFrom(cursor, now);
            if (memoryFrom <= cursor) {
                return fromMemory(memory, policy, now);
            }
            return fromStore(memory, memoryFrom, policy, now);
        } catch (SQLException e) {
            cursor = -1; // read it again: a failed transaction may or may not have moved it
            throw e;
        }
    }

    private Optional<Batch> fromMemory(FreshSegments memory, BatchPolicy policy, long now) throws SQLException {
        List<FreshSegments.Fresh> take = memory.dueBatch(policy, now);
        if (take.isEmpty()) {
            return Optional.empty();
        }
        List<StoredEvent> events = new ArrayList<>();
        long bytes = 0;
        long oldest = Long.MAX_VALUE;
        for (FreshSegments.Fresh f : take) {
            events.addAll(f.segment().events());
            bytes += f.segment().bytes();
            oldest = Math.min(oldest, f.segment().oldestReceivedAt());
        }
        long first = events.get(0).seq();
        long last = events.get(events.size() - 1).seq();
        String name = claimRange(first, last, oldest, events.size(), bytes, policy, now);
        memory.remove(take);
        return Optional.of(new Batch(db.sink, name, 1, events, true));
    }

    /** The events after the cursor, read from the store up to where memory continues (upTo; Long.MAX_VALUE: all). */
    private Optional<Batch> fromStore(FreshSegments memory, long upTo, BatchPolicy policy, long now) throws SQLException {
        long first = -1;
        long last = -1;
        long records = 0;
        long bytes = 0;
        long oldest = Long.MAX_VALUE;
        boolean full = false;
        try (PreparedStatement ps = db.get().prepareStatement(sql.tail)) {
            ps.setLong(1, cursor);
            ps.setLong(2, upTo);
            ps.setInt(3, policy.maxRecords());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    long rowBytes = rs.getLong(2);
                    if (records > 0 && bytes + rowBytes > policy.maxBytes()) {
                        full = true;
                        break;
                    }
                    first = records == 0 ? seq : first;
                    last = seq;
                    records++;
                    bytes += rowBytes;
                    oldest = Math.min(oldest, rs.getLong(3));
                }
            }
        }
        if (records == 0) {
            if (upTo != Long.MAX_VALUE) {
                // nothing between the cursor and where memory continues (seqs a rolled-back group never used)
                moveCursor(upTo);
                return fromMemory(memory, policy, now);
            }
            return Optional.empty();
        }
        boolean reachedMemory = upTo != Long.MAX_VALUE && !full && records < policy.maxRecords();
        boolean due = full || records >= policy.maxRecords() || bytes >= policy.maxBytes()
                || now - oldest >= policy.maxAge().toMillis() || reachedMemory;
        if (!due) {
            return Optional.empty();
        }
        if (reachedMemory) {
            last = upTo; // the batch closes the gap: memory continues right after it
        }
        String name = claimRange(first, last, oldest, records, bytes, policy, now);
        return Optional.of(rows.load(name));
    }

    /** One row for the batch [first, last], and the cursor past it, in one transaction. */
    private String claimRange(long first, long last, long oldest, long events, long bytes, BatchPolicy policy, long now)
            throws SQLException {
        String name = DeliveryQueue.batchName(first, last);
        long expected = cursor;
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.insertClaimed)) {
                ps.setString(1, db.sink);
                ps.setLong(2, first);
                ps.setLong(3, last);
                ps.setLong(4, oldest);
                ps.setLong(5, events);
                ps.setLong(6, bytes);
                ps.setString(7, name);
                ps.setLong(8, now + policy.lease().toMillis());
                ps.executeUpdate();
            }
            SinkCursors.move(c, db.sink, expected, last);
            return null;
        });
        cursor = last;
        return name;
    }

    private void moveCursor(long to) throws SQLException {
        long expected = cursor;
        db.transaction(c -> {
            SinkCursors.move(c, db.sink, expected, to);
            return null;
        });
        cursor = to;
    }
}
