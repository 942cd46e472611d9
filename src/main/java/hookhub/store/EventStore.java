package hookhub.store;

import hookhub.event.Event;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store behind acceptance and delivery: SQLite in WAL mode under the data directory by default, or a
 * shared PostgreSQL. New events go through the {@link GroupCommitWriter}; each sink reads through its own
 * {@link DeliveryQueue}.
 */
public final class EventStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);
    /** Free pages the embedded store keeps for the next burst at least (see FreeSpaceReturner). */
    private static final long MIN_FREE_RESERVE_BYTES = 64L << 20;
    /** Runs (seconds) that must find more free space than the reserve before any is given back. */
    private static final int FREE_SPACE_SETTLE_RUNS = 30;
    /** Store files made by an earlier hookhub up to this size are converted to incremental auto-vacuum at start. */
    private static final long CONVERT_AT_START_BYTES = 1L << 30;

    private final StoreSettings settings;
    private final Path dataDir;
    private final List<String> sinks;
    private final ConnectionFactory connections;
    private final GroupCommitWriter writer;
    /** SQLite only: copies the write-ahead log back into the database file outside the request path. */
    private final WalCheckpointer checkpointer;
    private final BodyReaper bodyReaper;
    private final ExpiredKeyPurge keyPurge;
    /** SQLite only: gives free pages back to the file system once a backlog is gone. */
    private final FreeSpaceReturner freeSpace;
    private final Map<String, DeliveryQueue> queues = new HashMap<>();
    private final Backpressure backpressure;
    private volatile Map<String, SinkBacklog> lastBacklog = Map.of();
    private final java.util.Set<String> warnedDisabled = new java.util.HashSet<>();
    private FileChannel lockChannel;
    private FileLock lock;
    private Connection maintenance;

    public EventStore(StoreSettings settings, Path dataDir, List<String> sinks) {
        this.settings = settings;
        this.dataDir = dataDir;
        this.sinks = List.copyOf(sinks);
        this.connections = new ConnectionFactory(settings);
        this.writer = new GroupCommitWriter(connections, sinks, settings.maxGroup(), sink -> queues.get(sink).fresh());
        this.checkpointer = settings.isPostgres() ? null : new WalCheckpointer(connections, settings.walRestartBytes(), 1000);
        this.bodyReaper = new BodyReaper(connections);
        this.keyPurge = new ExpiredKeyPurge(connections, checkpointer);
        this.freeSpace = settings.isPostgres() ? null : new FreeSpaceReturner(connections, MIN_FREE_RESERVE_BYTES, FREE_SPACE_SETTLE_RUNS);
        this.backpressure = new Backpressure(settings, dataDir);
        sinks.forEach(s -> queues.put(s, new DeliveryQueue(s, connections)));
    }

    /**
     * A store for command-line maintenance next to a running hub: schema and delivery queues only, no writer, and
     * no lock on the data directory (SQLite's own locking keeps concurrent writers safe).
     */
    public static EventStore forMaintenance(StoreSettings settings, Path dataDir, List<String> sinks) throws SQLException {
        EventStore store = new EventStore(settings, dataDir, sinks);
        store.maintenance = store.connections.open();
        return store;
    }

    /** The store's JDBC URL. */
    String url() {
        return settings.url();
    }

    /** Embedded SQLite file under the data directory unless hookhub.store.url names another database. */
    public static String defaultUrl(Path dataDir) {
        return "jdbc:sqlite:" + dataDir.resolve("hookhub.db");
    }

    public void start() throws SQLException, IOException {
        Files.createDirectories(dataDir);
        if (!settings.isPostgres()) {
            lockDataDir();
        }
        maintenance = connections.open();
        connections.transaction(maintenance, c -> {
            try (Statement st = c.createStatement()) {
                st.execute(connections.dialect().lockSchema());
                StoreUpgrades.beforeSchema(c, connections.dialect());
                for (String ddl : connections.dialect().schema()) {
                    st.execute(ddl);
                }
                StoreUpgrades.afterSchema(c, connections.dialect());
                if (!settings.isPostgres()) {
                    // Only this process uses the file (see lockDataDir): claims left by a killed process are void now.
                    st.executeUpdate("UPDATE hookhub_pending SET lease_until = 0 WHERE dead = 0 AND lease_until > 0");
                    SinkCursors.atStart(c, sinks);
                }
            }
            return null;
        });
        if (!settings.isPostgres()) {
            StoreUpgrades.incrementalVacuum(maintenance, sqliteFile(), CONVERT_AT_START_BYTES);
        }
        writer.start();
        connections.writeThrough(writer);
        if (checkpointer != null) {
            checkpointer.start();
        }
        refreshBacklog();
        LOG.info("Event store ready: {} ({} sync), sinks {}", settings.isPostgres() ? "PostgreSQL" : "SQLite " + dataDir.resolve("hookhub.db"),
                settings.fullSync() ? "full" : "normal", sinks);
    }

    private void lockDataDir() throws IOException {
        lockChannel = FileChannel.open(dataDir.resolve("hookhub.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockChannel.tryLock();
        if (lock == null) {
            throw new IOException("Another hookhub process uses " + dataDir.toAbsolutePath()
                    + "; give each instance its own hookhub.data-dir or share a PostgreSQL store");
        }
    }

    /**
     * Stores the event durably unless an event with the same (source, id) is already stored.
     *
     * @return true when this call stored it, false for a duplicate; either way only after the commit
     * @throws StoreOverloadedException when the backlog or disk limit is reached (nothing was stored)
     * @throws StoreUnavailableException when the commit failed or timed out (the event must be resent)
     */
    public boolean accept(Event event) {
        backpressure.check();
        try {
            return writer.submit(event).get(settings.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the store", e);
        } catch (ExecutionException e) {
            throw new StoreUnavailableException("store commit failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("store commit timed out", e);
        }
    }

    /** True when an event with this (source, id) is stored (within the dedup window). */
    public synchronized boolean contains(String source, String id) throws SQLException {
        try (PreparedStatement ps = maintenance.prepareStatement("SELECT 1 FROM hookhub_events WHERE source = ? AND id = ?")) {
            ps.setString(1, source);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A snapshot for health checks and metrics. */
    public record Stats(String engine, long backlog, long groupsCommitted, long eventsCommitted, String lastCommitError,
            String refusal) {
    }

    public Stats stats() {
        return new Stats(settings.isPostgres() ? "postgresql" : "sqlite", backpressure.backlog(), writer.groupsCommitted(),
                writer.eventsCommitted(), writer.lastError(), backpressure.refusal());
    }

    /**
     * The embedded store's files on disk, in bytes: "store" (the database file) and "wal" (its write-ahead log); empty
     * on PostgreSQL. A file that is not there (yet) counts 0.
     */
    public Map<String, Long> fileSizes() {
        if (settings.isPostgres()) {
            return Map.of();
        }
        Map<String, Long> sizes = new java.util.LinkedHashMap<>();
        sizes.put("store", sizeOf(Path.of(sqliteFile())));
        sizes.put("wal", sizeOf(Path.of(sqliteFile() + "-wal")));
        return sizes;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // not there: no log between a quiet hub's truncation and its next write, or before the first start
        }
    }

    /** The SQLite database file the URL names. */
    private String sqliteFile() {
        return settings.url().substring("jdbc:sqlite:".length());
    }

    public DeliveryQueue queue(String sink) {
        DeliveryQueue q = queues.get(sink);
        if (q == null) {
            throw new IllegalArgumentException("no such sink: " + sink);
        }
        return q;
    }

    public List<String> sinks() {
        return sinks;
    }

    /** One sink's undelivered events: how many, their size, the oldest one's received time, and dead letters. */
    public record SinkBacklog(long events, long bytes, long oldestReceivedAt, long deadLetters) {
        public static final SinkBacklog EMPTY = new SinkBacklog(0, 0, 0, 0);
    }

    /** Re-counts the undelivered backlog per sink (for backpressure, health and metrics). */
    public synchronized Map<String, SinkBacklog> refreshBacklog() throws SQLException {
        Map<String, SinkBacklog> backlog = new HashMap<>();
        sinks.forEach(s -> backlog.put(s, SinkBacklog.EMPTY));
        try (Statement st = maintenance.createStatement();
                ResultSet rs = st.executeQuery("SELECT sink, SUM(CASE WHEN dead = 0 THEN events ELSE 0 END),"
                        + " SUM(CASE WHEN dead = 0 THEN bytes ELSE 0 END), MIN(CASE WHEN dead = 0 THEN received_at END),"
                        + " SUM(CASE WHEN dead = 1 THEN events ELSE 0 END) FROM hookhub_pending GROUP BY sink")) {
            while (rs.next()) {
                // rows of a sink that is not enabled now wait for it to come back; they must not hold up acceptance
                if (backlog.containsKey(rs.getString(1))) {
                    long oldest = rs.getLong(4);
                    backlog.put(rs.getString(1), new SinkBacklog(rs.getLong(2), rs.getLong(3), rs.wasNull() ? 0 : oldest, rs.getLong(5)));
                } else if (!warnedDisabled.contains(rs.getString(1))) {
                    warnedDisabled.add(rs.getString(1));
                    LOG.warn("{} events wait for sink {}, which is not enabled: enable it again to deliver them", rs.getLong(2),
                            rs.getString(1));
                }
            }
        }
        if (!settings.isPostgres()) {
            // SQLite: the events after each sink's cursor are owed to it too (they have no rows)
            for (Map.Entry<String, Long> cursor : SinkCursors.all(maintenance).entrySet()) {
                SinkBacklog rows = backlog.get(cursor.getKey());
                if (rows == null) {
                    continue;
                }
                try (PreparedStatement ps = maintenance.prepareStatement(
                        "SELECT COUNT(*), SUM(bytes), MIN(received_at) FROM hookhub_events WHERE seq > ?")) {
                    ps.setLong(1, cursor.getValue());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        long oldest = rs.getLong(3);
                        oldest = rs.wasNull() ? rows.oldestReceivedAt() : rows.oldestReceivedAt() == 0 ? oldest
                                : Math.min(oldest, rows.oldestReceivedAt());
                        backlog.put(cursor.getKey(), new SinkBacklog(rows.events() + rs.getLong(1), rows.bytes() + rs.getLong(2), oldest,
                                rows.deadLetters()));
                    }
                }
            }
        }
        backpressure.backlog(backlog.values().stream().mapToLong(SinkBacklog::events).max().orElse(0));
        lastBacklog = Map.copyOf(backlog);
        return lastBacklog;
    }

    /** The backlog as of the last refresh (every second). */
    public Map<String, SinkBacklog> backlog() {
        return lastBacklog;
    }

    /** Drops the bodies of events every sink has confirmed (see {@link BodyReaper}); returns how many. */
    public synchronized int dropDeliveredBodies() throws SQLException {
        return bodyReaper.run(maintenance);
    }

    /** Gives free space beyond a reserve back to the file system (SQLite; see {@link FreeSpaceReturner}); returns bytes. */
    public synchronized long returnFreeSpace() throws SQLException {
        return freeSpace == null ? 0 : freeSpace.run(maintenance);
    }

    /** Forgets keys older than the dedup window whose event every sink has (see {@link ExpiredKeyPurge}); returns how many. */
    public synchronized int purgeExpired(long now) throws SQLException {
        return keyPurge.run(maintenance, now - settings.dedupWindow().toMillis());
    }

    @Override
    public void close() throws Exception {
        writer.stop();
        if (checkpointer != null) {
            checkpointer.stop();
        }
        queues.values().forEach(DeliveryQueue::close);
        connections.closeQuietly(maintenance);
        if (lock != null) {
            lock.release();
            lockChannel.close();
        }
    }
}
