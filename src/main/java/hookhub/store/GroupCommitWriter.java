package hookhub.store;

import hookhub.event.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of new events. Requests queue their event and wait; this thread drains whatever is queued,
 * inserts it all in one transaction and commits once, so one disk sync serves many requests (group commit).
 *
 * <p>Each insert is {@code INSERT … ON CONFLICT (source, id) DO NOTHING RETURNING seq}: that single statement
 * decides "new or duplicate" and makes the record durable in the same transaction, so there is no window in which
 * a key is recorded without its event or an event is stored twice. On PostgreSQL the group's events go in one such
 * statement (a network round trip per event made the group commit several milliseconds longer).
 */
final class GroupCommitWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    private static final String INSERT_EVENT = "INSERT INTO hookhub_events (source, id, received_at, partition_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (source, id) DO NOTHING RETURNING seq";
    /** PostgreSQL: the whole group in one statement, one network round trip instead of one per event. */
    private static final String INSERT_EVENTS_AT_ONCE = "INSERT INTO hookhub_events (source, id, received_at, partition_at)"
            + " SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::bigint[])"
            + " ON CONFLICT (source, id) DO NOTHING RETURNING seq, source, id";
    private static final String INSERT_BODY = "INSERT INTO hookhub_bodies (seq, record) VALUES (?, ?)";
    private static final String INSERT_PENDING = "INSERT INTO hookhub_pending (sink, seq, source, received_at, bytes)"
            + " VALUES (?, ?, ?, ?, ?)";

    private record Submission(Event event, CompletableFuture<Boolean> accepted) {
    }

    private final BlockingQueue<Submission> queue = new LinkedBlockingQueue<>();
    private final ConnectionFactory connections;
    private final List<String> sinks;
    private final int maxGroup;
    private final AtomicLong groups = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private volatile String lastError;
    private volatile boolean running = true;
    private Connection connection;
    private PreparedStatement insertEvent;
    private PreparedStatement insertPending;
    private PreparedStatement insertBody;
    private Thread thread;

    GroupCommitWriter(ConnectionFactory connections, List<String> sinks, int maxGroup) {
        this.connections = connections;
        this.sinks = List.copyOf(sinks);
        this.maxGroup = maxGroup;
    }

    void start() throws SQLException {
        connection = connections.open();
        thread = new Thread(this, "hookhub-store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues an event; the future completes with true (stored now) or false (already stored) after the commit. */
    CompletableFuture<Boolean> submit(Event event) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(new IllegalStateException("store is shutting down"));
            return f;
        }
        queue.add(new Submission(event, f));
        return f;
    }

    @Override
    public void run() {
        List<Submission> group = new ArrayList<>(maxGroup);
        while (running || !queue.isEmpty()) {
            try {
                Submission first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
                commitGroup(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException e) {
                LOG.error("Store writer failed on a group of {} events", group.size(), e);
                group.forEach(s -> s.accepted().completeExceptionally(e));
            } finally {
                group.clear();
            }
        }
        forgetStatements();
        connections.closeQuietly(connection);
    }

    private void forgetStatements() {
        for (PreparedStatement ps : new PreparedStatement[] {insertEvent, insertPending, insertBody}) {
            try {
                if (ps != null) {
                    ps.close();
                }
            } catch (SQLException ignored) {
                // the connection is going away anyway
            }
        }
        insertEvent = null;
        insertPending = null;
        insertBody = null;
    }

    private void commitGroup(List<Submission> group) {
        // A stable order keeps two instances on one PostgreSQL from deadlocking on each other's keys.
        group.sort(Comparator.comparing((Submission s) -> s.event().source()).thenComparing(s -> s.event().id()));
        try {
            boolean[] inserted = connections.transaction(connection, c -> insertAll(group));
            groups.incrementAndGet();
            events.addAndGet(group.size());
            lastError = null;
            for (int i = 0; i < group.size(); i++) {
                group.get(i).accepted().complete(inserted[i]);
            }
        } catch (SQLException e) {
            lastError = e.getMessage();
            if (group.size() == 1) {
                LOG.warn("Store commit failed: {}", e.getMessage());
                group.get(0).accepted().completeExceptionally(e);
                reopenIfBroken();
                return;
            }
            // One bad row must not fail its neighbours: retry each event in a transaction of its own.
            for (Submission s : group) {
                commitGroup(new ArrayList<>(List.of(s)));
            }
        }
    }

    private boolean[] insertAll(List<Submission> group) throws SQLException {
        boolean[] inserted = new boolean[group.size()];
        boolean postgres = connections.dialect() == Dialect.POSTGRES;
        if (insertEvent == null) {
            // prepared once per connection: parsing the SQL per group cost as much as a tenth of this thread's time
            insertEvent = connection.prepareStatement(postgres ? INSERT_EVENTS_AT_ONCE : INSERT_EVENT);
            insertPending = connection.prepareStatement(INSERT_PENDING);
            insertBody = connection.prepareStatement(INSERT_BODY);
        }
        insertPending.clearBatch(); // nothing left over from a group that failed
        insertBody.clearBatch();
        long[] seqs = postgres ? insertEventsAtOnce(group) : insertEventsOneByOne(group);
        boolean anyPending = false;
        for (int i = 0; i < group.size(); i++) {
            Event e = group.get(i).event();
            long seq = seqs[i];
            if (seq < 0) {
                continue; // conflict: the event is already stored
            }
            inserted[i] = true;
            insertBody.setLong(1, seq);
            insertBody.setString(2, e.line());
            insertBody.addBatch();
            int bytes = e.bytes();
            for (String sink : sinks) {
                insertPending.setString(1, sink);
                insertPending.setLong(2, seq);
                insertPending.setString(3, e.source());
                insertPending.setLong(4, e.receivedAt());
                insertPending.setInt(5, bytes);
                insertPending.addBatch();
                anyPending = true;
            }
        }
        if (anyPending) {
            insertBody.executeBatch();
            insertPending.executeBatch();
        }
        return inserted;
    }

    /** SQLite runs in this process: a statement per event costs no round trip. -1 for an event already stored. */
    private long[] insertEventsOneByOne(List<Submission> group) throws SQLException {
        long[] seqs = new long[group.size()];
        for (int i = 0; i < group.size(); i++) {
            Event e = group.get(i).event();
            insertEvent.setString(1, e.source());
            insertEvent.setString(2, e.id());
            insertEvent.setLong(3, e.receivedAt());
            insertEvent.setLong(4, e.partitionAt());
            try (ResultSet rs = insertEvent.executeQuery()) {
                seqs[i] = rs.next() ? rs.getLong(1) : -1;
            }
        }
        return seqs;
    }

    /**
     * PostgreSQL: one {@code INSERT … SELECT FROM unnest(…)} for the group, its RETURNING rows matched back by key.
     * A key twice in one group is inserted once (ON CONFLICT covers rows of the same statement): the first
     * submission gets the seq, the second is a duplicate, as when they are inserted one by one.
     */
    private long[] insertEventsAtOnce(List<Submission> group) throws SQLException {
        int n = group.size();
        String[] sources = new String[n];
        String[] ids = new String[n];
        Long[] received = new Long[n];
        Long[] partition = new Long[n];
        for (int i = 0; i < n; i++) {
            Event e = group.get(i).event();
            sources[i] = e.source();
            ids[i] = e.id();
            received[i] = e.receivedAt();
            partition[i] = e.partitionAt();
        }
        insertEvent.setArray(1, connection.createArrayOf("varchar", sources));
        insertEvent.setArray(2, connection.createArrayOf("varchar", ids));
        insertEvent.setArray(3, connection.createArrayOf("bigint", received));
        insertEvent.setArray(4, connection.createArrayOf("bigint", partition));
        java.util.Map<String, Long> stored = new java.util.HashMap<>();
        try (ResultSet rs = insertEvent.executeQuery()) {
            while (rs.next()) {
                stored.put(rs.getString(2) + "\u0000" + rs.getString(3), rs.getLong(1));
            }
        }
        long[] seqs = new long[n];
        for (int i = 0; i < n; i++) {
            Long seq = stored.remove(sources[i] + "\u0000" + ids[i]); // removed: a second copy in the group is a duplicate
            seqs[i] = seq == null ? -1 : seq;
        }
        return seqs;
    }

    private void reopenIfBroken() {
        try {
            if (connection.isValid(2)) {
                return;
            }
        } catch (SQLException ignored) {
            // fall through and reopen
        }
        forgetStatements();
        connections.closeQuietly(connection);
        try {
            connection = connections.open();
        } catch (SQLException e) {
            LOG.warn("Store connection could not be reopened yet: {}", e.getMessage());
        }
    }

    /** Transactions committed so far (each one disk sync). */
    long groupsCommitted() {
        return groups.get();
    }

    /** Events written by those transactions, new and duplicate. */
    long eventsCommitted() {
        return events.get();
    }

    /** The error of the latest failed commit, or null once a commit succeeded again. */
    String lastError() {
        return lastError;
    }

    /** Stops taking events, commits what is queued, and closes the connection. */
    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(30_000);
        }
    }
}
