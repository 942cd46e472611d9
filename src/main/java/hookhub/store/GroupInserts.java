package hookhub.store;

import hookhub.event.Event;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The group commit's statements on the writer's connection, in each store's fastest form, prepared once per connection
 * (parsing the SQL per group cost as much as a tenth of the writer's time). SQLite: up to {@value #ROWS_PER_INSERT}
 * rows per statement (a statement per event cost a statement step, a result set and their JNI calls each).
 * PostgreSQL: the whole group in one statement (a network round trip per event made each commit several milliseconds
 * longer).
 */
final class GroupInserts implements AutoCloseable {

    static final int ROWS_PER_INSERT = 32;
    private static final String INSERT_EVENTS_AT_ONCE = "INSERT INTO hookhub_events (source, id, received_at, partition_at, bytes)"
            + " SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::bigint[], ?::int[])"
            + " ON CONFLICT (source, id) DO NOTHING RETURNING seq, source, id";
    private static final String INSERT_BODY = "INSERT INTO hookhub_bodies (seq, seg, record) VALUES (?, ?, ?)";
    private static final String INSERT_EVENT_ROWS = "INSERT INTO hookhub_events (source, id, received_at, partition_at, bytes) VALUES ";
    private static final String INSERT_EVENT_CONFLICT = " ON CONFLICT (source, id) DO NOTHING RETURNING seq, source, id";
    private static final String INSERT_BODY_ROWS = "INSERT INTO hookhub_bodies (seq, seg, record) VALUES ";
    private static final String INSERT_RUN = "INSERT INTO hookhub_pending (sink, seq, last_seq, seg, received_at, events, bytes,"
            + " lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final Connection connection;
    private final boolean postgres;
    /** PostgreSQL's statements, prepared on first use. */
    private PreparedStatement insertEvents;
    private PreparedStatement insertRun;
    private PreparedStatement insertBody;
    /** SQLite: multi-row statements by row count. */
    private final PreparedStatement[] eventRows = new PreparedStatement[ROWS_PER_INSERT + 1];
    private final PreparedStatement[] bodyRows = new PreparedStatement[ROWS_PER_INSERT + 1];

    GroupInserts(Connection connection, boolean postgres) {
        this.connection = connection;
        this.postgres = postgres;
    }

    /**
     * Inserts the events' keys; returns each one's seq in the given order, -1 for an event already stored. Their
     * RETURNING rows are matched back by key. A key twice in one group is inserted once (ON CONFLICT covers rows of the
     * same statement): the first copy gets the seq, the second is a duplicate, as when they are inserted one by one.
     */
    long[] insertEvents(List<Event> events) throws SQLException {
        Map<String, Long> stored = new HashMap<>();
        if (postgres) {
            insertAtOnce(events, stored);
        } else {
            insertInRows(events, stored);
        }
        long[] seqs = new long[events.size()];
        for (int i = 0; i < events.size(); i++) {
            Long seq = stored.remove(key(events.get(i).source(), events.get(i).id())); // removed: a second copy is a duplicate
            seqs[i] = seq == null ? -1 : seq;
        }
        return seqs;
    }

    /** The run's bodies (SQLite: seg 0; PostgreSQL: the run's seg, text). */
    void insertBodies(Segment run) throws SQLException {
        List<StoredEvent> events = run.events();
        if (postgres) {
            pg();
            insertBody.clearBatch(); // nothing left over from a group that failed
            for (StoredEvent e : events) {
                insertBody.setLong(1, e.seq());
                insertBody.setLong(2, run.seg());
                insertBody.setString(3, new String(e.line(), StandardCharsets.UTF_8));
                insertBody.addBatch();
            }
            insertBody.executeBatch();
            return;
        }
        for (int from = 0; from < events.size(); from += ROWS_PER_INSERT) {
            int rows = Math.min(ROWS_PER_INSERT, events.size() - from);
            PreparedStatement ps = rows(bodyRows, rows, INSERT_BODY_ROWS, "(?, 0, ?)", "");
            int p = 1;
            for (int i = from; i < from + rows; i++) {
                ps.setLong(p++, events.get(i).seq());
                ps.setBytes(p++, events.get(i).line()); // the bytes as they are: no encoding on either side
            }
            ps.executeUpdate();
        }
    }

    /** PostgreSQL: one hookhub_pending row per sink for the run, with its lease (0: none). */
    void insertRuns(Segment run, List<String> sinks, long[] leaseUntil) throws SQLException {
        pg();
        insertRun.clearBatch();
        for (int i = 0; i < sinks.size(); i++) {
            insertRun.setString(1, sinks.get(i));
            insertRun.setLong(2, run.first());
            insertRun.setLong(3, run.last());
            insertRun.setLong(4, run.seg());
            insertRun.setLong(5, run.oldestReceivedAt());
            insertRun.setInt(6, run.size());
            insertRun.setLong(7, run.bytes());
            insertRun.setLong(8, leaseUntil[i]);
            insertRun.addBatch();
        }
        insertRun.executeBatch();
    }

    private void insertInRows(List<Event> events, Map<String, Long> stored) throws SQLException {
        for (int from = 0; from < events.size(); from += ROWS_PER_INSERT) {
            int rows = Math.min(ROWS_PER_INSERT, events.size() - from);
            PreparedStatement ps = rows(eventRows, rows, INSERT_EVENT_ROWS, "(?, ?, ?, ?, ?)", INSERT_EVENT_CONFLICT);
            int p = 1;
            for (int i = from; i < from + rows; i++) {
                Event e = events.get(i);
                ps.setString(p++, e.source());
                ps.setString(p++, e.id());
                ps.setLong(p++, e.receivedAt());
                ps.setLong(p++, e.partitionAt());
                ps.setInt(p++, e.bytes());
            }
            try (ResultSet rs = ps.executeQuery()) {
                collect(rs, stored);
            }
        }
    }

    private void insertAtOnce(List<Event> events, Map<String, Long> stored) throws SQLException {
        int n = events.size();
        String[] sources = new String[n];
        String[] ids = new String[n];
        Long[] received = new Long[n];
        Long[] partition = new Long[n];
        Integer[] bytes = new Integer[n];
        for (int i = 0; i < n; i++) {
            Event e = events.get(i);
            sources[i] = e.source();
            ids[i] = e.id();
            received[i] = e.receivedAt();
            partition[i] = e.partitionAt();
            bytes[i] = e.bytes();
        }
        PreparedStatement ps = pg();
        ps.setArray(1, connection.createArrayOf("varchar", sources));
        ps.setArray(2, connection.createArrayOf("varchar", ids));
        ps.setArray(3, connection.createArrayOf("bigint", received));
        ps.setArray(4, connection.createArrayOf("bigint", partition));
        ps.setArray(5, connection.createArrayOf("integer", bytes));
        try (ResultSet rs = ps.executeQuery()) {
            collect(rs, stored);
        }
    }

    /** RETURNING seq, source, id rows, by key. */
    private static void collect(ResultSet rs, Map<String, Long> stored) throws SQLException {
        while (rs.next()) {
            stored.put(key(rs.getString(2), rs.getString(3)), rs.getLong(1));
        }
    }

    private static String key(String source, String id) {
        return source + "\u0000" + id;
    }

    /** PostgreSQL's statements, prepared once; returns the events' insert. */
    private PreparedStatement pg() throws SQLException {
        if (insertEvents == null) {
            insertEvents = connection.prepareStatement(INSERT_EVENTS_AT_ONCE);
            insertRun = connection.prepareStatement(INSERT_RUN);
            insertBody = connection.prepareStatement(INSERT_BODY);
        }
        return insertEvents;
    }

    /** SQLite: a multi-row statement for this many rows, prepared once. */
    private PreparedStatement rows(PreparedStatement[] cache, int rows, String head, String row, String tail) throws SQLException {
        if (cache[rows] == null) {
            cache[rows] = connection.prepareStatement(head + String.join(", ", Collections.nCopies(rows, row)) + tail);
        }
        return cache[rows];
    }

    /** Closes the statements (the connection is going away). */
    @Override
    public void close() {
        List<PreparedStatement> all = new ArrayList<>(Arrays.asList(eventRows));
        all.addAll(Arrays.asList(bodyRows));
        all.add(insertEvents);
        all.add(insertRun);
        all.add(insertBody);
        for (PreparedStatement ps : all) {
            try {
                if (ps != null) {
                    ps.close();
                }
            } catch (SQLException ignored) {
                // the connection is going away anyway
            }
        }
    }
}
