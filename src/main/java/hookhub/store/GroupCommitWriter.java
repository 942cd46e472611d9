package hookhub.store;

import hookhub.event.Event;
import java.sql.Connection;
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
 *
 * <p>What the sinks are owed: on SQLite nothing more is written, every event after a sink's cursor is owed to it
 * ({@link SinkTail}); on PostgreSQL one {@code hookhub_pending} row per sink for the group's new events (a run). After
 * the commit the new events are handed to each sink in memory where there is room ({@link MemoryHandOff}).
 */
final class GroupCommitWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** SQLite page cache of the writer's connection (the default is 2 MiB). */
    private static final long WRITER_CACHE_BYTES = 16L << 20;

    private record Submission(Event event, CompletableFuture<Boolean> accepted) {
    }

    /** Another thread's write transaction, run by this thread inside a group's transaction (SQLite; see {@link #write}). */
    private record Work(ConnectionFactory.SqlWork<?> work, CompletableFuture<Object> done) {
    }

    /** Submissions and Work, in arrival order. */
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final ConnectionFactory connections;
    private final List<String> sinks;
    private final MemoryHandOff handOff;
    private final int maxGroup;
    private final AtomicLong groups = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private volatile String lastError;
    private volatile boolean running = true;
    private Connection connection;
    /** The group's statements on that connection, prepared on first use. */
    private GroupInserts inserts;
    private Thread thread;

    GroupCommitWriter(ConnectionFactory connections, List<String> sinks, int maxGroup,
            java.util.function.Function<String, FreshSegments> memory) {
        this.connections = connections;
        this.sinks = List.copyOf(sinks);
        this.handOff = new MemoryHandOff(this.sinks, memory, connections.dialect() == Dialect.POSTGRES);
        this.maxGroup = maxGroup;
    }

    void start() throws SQLException {
        connection = openConnection();
        try (java.sql.Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(seq) FROM hookhub_events")) {
            handOff.startAfter(rs.next() ? rs.getLong(1) : 0);
        }
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

    /**
     * Runs another thread's write transaction on this thread's connection, inside the next group's transaction, and
     * returns its result once that is committed; null when this writer does not take it (it does not run, or this is its
     * own thread): the caller writes itself.
     *
     * <p>Why (SQLite): every write by another connection makes SQLite drop this connection's whole page cache, which
     * the writer then reads back page by page; and each transaction of its own costs a disk sync that every accepted
     * request waits behind. Riding along with a group costs neither. A failed work item is rolled back to its
     * savepoint and fails alone.
     */
    <T> java.util.Optional<T> write(ConnectionFactory.SqlWork<T> work) throws SQLException {
        if (!running || Thread.currentThread() == thread) {
            return null;
        }
        CompletableFuture<Object> done = new CompletableFuture<>();
        Work item = new Work(work, done);
        queue.add(item);
        try {
            while (true) {
                try {
                    @SuppressWarnings("unchecked")
                    T result = (T) done.get(1, TimeUnit.SECONDS);
                    return java.util.Optional.ofNullable(result);
                } catch (java.util.concurrent.TimeoutException e) {
                    if (!thread.isAlive() && queue.remove(item)) {
                        return null; // the writer stopped before it got to it
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the store writer", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new SQLException(e.getCause());
        }
    }

    Thread thread() {
        return thread;
    }

    /** True while this writer takes work (see {@link #write}). */
    boolean takesWork() {
        return running && thread != null;
    }

    @Override
    public void run() {
        List<Object> drained = new ArrayList<>(maxGroup);
        List<Submission> group = new ArrayList<>(maxGroup);
        List<Work> works = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Object first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                drained.add(first);
                queue.drainTo(drained, maxGroup - 1);
                for (Object o : drained) {
                    if (o instanceof Submission s) {
                        group.add(s);
                    } else {
                        works.add((Work) o);
                    }
                }
                commitGroup(group, works);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException e) {
                LOG.error("Store writer failed on a group of {} events", group.size(), e);
                group.forEach(s -> s.accepted().completeExceptionally(e));
                works.forEach(w -> w.done().completeExceptionally(e));
            } finally {
                drained.clear();
                group.clear();
                works.clear();
            }
        }
        // what arrived after the last group: fail it, its callers go on without this writer
        for (Object o; (o = queue.poll()) != null;) {
            if (o instanceof Work w) {
                w.done().completeExceptionally(new SQLException("store writer stopped"));
            }
        }
        forgetStatements();
        connections.closeQuietly(connection);
    }

    private void forgetStatements() {
        if (inserts != null) {
            inserts.close();
            inserts = null;
        }
    }

    private void commitGroup(List<Submission> group, List<Work> works) {
        // A stable order keeps two instances on one PostgreSQL from deadlocking on each other's keys.
        group.sort(Comparator.comparing((Submission s) -> s.event().source()).thenComparing(s -> s.event().id()));
        Written written = new Written(group.size());
        Object[] results = new Object[works.size()];
        try {
            connections.transaction(connection, c -> {
                if (!group.isEmpty()) {
                    insertAll(group, written);
                }
                runWorks(c, works, results);
                return null;
            });
            if (!group.isEmpty()) {
                groups.incrementAndGet();
                events.addAndGet(group.size());
                lastError = null;
            }
            handOff.committed(written.run, written.reserved);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).accepted().complete(written.inserted[i]);
            }
            for (int i = 0; i < works.size(); i++) {
                if (results[i] instanceof Failed f) {
                    works.get(i).done().completeExceptionally(f.cause());
                } else {
                    works.get(i).done().complete(results[i]);
                }
            }
        } catch (SQLException e) {
            written.cancel();
            if (!group.isEmpty()) {
                lastError = e.getMessage();
            }
            if (group.size() + works.size() == 1) {
                LOG.warn("Store commit failed: {}", e.getMessage());
                group.forEach(s -> s.accepted().completeExceptionally(e));
                works.forEach(w -> w.done().completeExceptionally(e));
                reopenIfBroken();
                return;
            }
            // One bad row must not fail its neighbours: retry each event, and each work, in a transaction of its own.
            for (Submission s : group) {
                commitGroup(new ArrayList<>(List.of(s)), List.of());
            }
            for (Work w : works) {
                commitGroup(new ArrayList<>(), List.of(w));
            }
        } catch (RuntimeException e) {
            written.cancel();
            throw e;
        }
    }

    /** A work item that failed and was rolled back to its savepoint. */
    private record Failed(Exception cause) {
    }

    /** Other threads' work, each behind a savepoint: one that fails is undone alone, the group goes on. */
    private static void runWorks(Connection c, List<Work> works, Object[] results) throws SQLException {
        if (works.isEmpty()) {
            return;
        }
        try (java.sql.Statement st = c.createStatement()) {
            for (int i = 0; i < works.size(); i++) {
                st.execute("SAVEPOINT hookhub_work");
                try {
                    results[i] = works.get(i).work().run(c);
                    st.execute("RELEASE hookhub_work");
                } catch (SQLException | RuntimeException e) {
                    st.execute("ROLLBACK TO hookhub_work");
                    st.execute("RELEASE hookhub_work");
                    results[i] = new Failed(e);
                }
            }
        }
    }

    /** What a group wrote: which events were new, as one run, and (PostgreSQL) the room it reserved in memory. */
    private static final class Written {
        final boolean[] inserted;
        Segment run;
        MemoryHandOff.Reservation reserved;

        Written(int size) {
            inserted = new boolean[size];
        }

        /** The commit failed: give back the room reserved, also when the pending rows' insert itself failed. */
        void cancel() {
            if (reserved != null) {
                reserved.cancel();
                reserved = null;
            }
        }
    }

    private Void insertAll(List<Submission> group, Written written) throws SQLException {
        boolean postgres = connections.dialect() == Dialect.POSTGRES;
        if (inserts == null) { // (re)prepared on the current connection; a closed one fails here and is reopened
            inserts = new GroupInserts(connection, postgres);
        }
        long[] seqs = inserts.insertEvents(group.stream().map(Submission::event).toList());
        Segment run = run(group, seqs, written.inserted, postgres);
        if (run == null) {
            return null; // only duplicates
        }
        inserts.insertBodies(run);
        if (postgres) {
            insertRuns(run, written);
        }
        written.run = run;
        return null;
    }

    /**
     * PostgreSQL: one row per sink for the run, leased to this instance where the sink has room for it in memory (no
     * other instance claims it then), else unleased (the sink reads it from the store).
     */
    private void insertRuns(Segment run, Written written) throws SQLException {
        written.reserved = handOff.reserve(run);
        inserts.insertRuns(run, sinks, written.reserved.leaseUntil());
    }

    /**
     * The group's new events in seq order (on PostgreSQL seqs need not follow the group's order), or null when all were
     * duplicates. seg: the run's first seq on PostgreSQL, 0 on SQLite.
     */
    private static Segment run(List<Submission> group, long[] seqs, boolean[] inserted, boolean postgres) {
        List<StoredEvent> events = new ArrayList<>(group.size());
        long first = Long.MAX_VALUE;
        for (int i = 0; i < group.size(); i++) {
            if (seqs[i] >= 0) { // else a conflict: the event is already stored
                inserted[i] = true;
                first = Math.min(first, seqs[i]);
            }
        }
        if (first == Long.MAX_VALUE) {
            return null;
        }
        long seg = postgres ? first : 0;
        long bytes = 0;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < group.size(); i++) {
            if (inserted[i]) {
                Event e = group.get(i).event();
                events.add(new StoredEvent(seqs[i], seg, e.source(), e.receivedAt(), e.partitionAt(), e.line()));
                bytes += e.line().length;
                oldest = Math.min(oldest, e.receivedAt());
            }
        }
        events.sort(Comparator.comparingLong(StoredEvent::seq));
        return new Segment(seg, first, events.get(events.size() - 1).seq(), oldest, bytes, events);
    }

    /** The writer's connection; on SQLite with a larger page cache (also after a reopen). */
    private Connection openConnection() throws SQLException {
        Connection c = connections.open();
        if (connections.dialect() == Dialect.SQLITE) {
            try (java.sql.Statement st = c.createStatement()) {
                // each new event's key lands on a random page of the dedup index: a larger page cache saves the reads
                st.execute("PRAGMA cache_size = -" + (WRITER_CACHE_BYTES >> 10));
            }
        }
        return c;
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
            connection = openConnection();
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

    /** Stops taking events and work, commits what is queued, and closes the connection. */
    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(30_000);
        }
    }
}
