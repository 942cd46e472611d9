package hookhub.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log back into the database file from a thread of its own. SQLite would otherwise do it
 * inside whichever commit crosses 1,000 WAL pages, and that commit is usually a group of waiting requests. A PASSIVE
 * checkpoint never takes the write lock, so acceptance and delivery go on while it runs.
 *
 * <p>A commit writes from the start of the WAL file again only when everything was copied back and no reader uses the
 * WAL. Under steady load that moment never comes, so the file grew without bound: 1.5 GB after 20 s at full speed in
 * one test. And the first commit after the load then cut the file down to size, which took 585 ms while the first
 * requests waited. So once the log holds more than hookhub.store.wal-restart-size this thread checkpoints in
 * RESTART mode, which makes that moment (holding commits back briefly), and no commit cuts the file
 * (journal_size_limit is off): it stays at about that size and is written over from the start. Once nothing has been
 * written for {@value #QUIET_MILLIS} ms, this thread cuts the file to nothing (a TRUNCATE checkpoint), so a hub
 * that is quiet after a burst does not keep the burst's log on disk.
 */
final class WalCheckpointer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);

    private static final int RESTART_WAIT_MILLIS = 20;
    /** A restart that found readers on the log is tried once more this much later. */
    private static final long RETRY_MILLIS = 50;
    /** A restart waits until at most this much of the log is left to copy back. */
    private static final long CATCH_UP_BYTES = 1L << 20;
    static final long QUIET_MILLIS = 10_000;

    private final ConnectionFactory connections;
    private final long restartAboveBytes;
    private final long intervalMillis;
    private volatile long frameBytes; // read from the database once
    private long lastFrames = -1;
    private long quietSince;
    private volatile boolean running = true;
    private Thread thread;

    WalCheckpointer(ConnectionFactory connections, long restartAboveBytes, long intervalMillis) {
        this.connections = connections;
        this.restartAboveBytes = restartAboveBytes;
        this.intervalMillis = intervalMillis;
    }

    void start() {
        thread = new Thread(this, "hookhub-store-checkpoint");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        Connection c = null;
        while (running) {
            try {
                Thread.sleep(intervalMillis);
                if (c == null) {
                    c = connections.open();
                }
                long walFrames = keepShort(c);
                truncateWhenQuiet(c, walFrames);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (SQLException e) {
                LOG.warn("WAL checkpoint failed (retried): {}", e.getMessage());
                connections.closeQuietly(c);
                c = null;
            }
        }
        connections.closeQuietly(c);
    }

    /**
     * Copies the log back into the database file and, once it holds more than the restart size, starts it over; returns
     * the frames left in it. Runs on this thread once a second, and on the caller's connection from a task that writes
     * in bursts (see {@link ExpiredKeyPurge}): between two looks of this thread a burst would otherwise grow the file by
     * all it writes, and the file keeps its largest size.
     */
    long keepShort(Connection c) throws SQLException {
        long[] wal = checkpoint(c);
        long walFrames = wal[0];
        // Before a restart, copy back what was written while this checkpoint ran (outside the write lock), so
        // that the restart, which holds every commit back, has little left to copy.
        for (int round = 0; round < 3 && walFrames * frameBytes(c) > restartAboveBytes
                && (wal[0] - wal[1]) * frameBytes(c) > CATCH_UP_BYTES; round++) {
            wal = checkpoint(c);
            walFrames = wal[0];
        }
        // retried once soon if readers were in the way: at full speed the log grows by tens of MB a second
        for (int attempt = 0; attempt < 2 && walFrames * frameBytes(c) > restartAboveBytes; attempt++) {
            if (attempt > 0 && !pause(RETRY_MILLIS)) {
                break;
            }
            walFrames = walCheckpoint(c, "RESTART");
        }
        return walFrames;
    }

    /**
     * How many pages a writer in bursts may write before it calls {@link #keepShort}: a quarter of the restart size.
     * The log then grows at most that far past it, and each check (a checkpoint, with a sync of the database file)
     * comes once per several of the writer's transactions, not after each.
     */
    long pagesBetweenChecks(Connection c) throws SQLException {
        return Math.max(1, restartAboveBytes / 4 / frameBytes(c));
    }

    /** False when interrupted (the flag stays set for the caller). */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The log's frame count changes with every commit (and drops to 0 when the log starts over), so an unchanged count
     * means nothing was written since the last look. After QUIET_MILLIS of that, the file is cut once; if readers were
     * in the way it is tried again at the next look.
     */
    private void truncateWhenQuiet(Connection c, long walFrames) throws SQLException {
        long now = System.currentTimeMillis();
        if (walFrames != lastFrames) {
            lastFrames = walFrames;
            quietSince = now;
        } else if (quietSince > 0 && now - quietSince >= QUIET_MILLIS && walCheckpoint(c, "TRUNCATE") == 0) {
            quietSince = 0; // done for this quiet spell; the next commit changes the count and starts a new one
        }
    }

    /** Bytes one WAL frame takes: a page and its 24-byte header. */
    private long frameBytes(Connection c) throws SQLException {
        if (frameBytes == 0) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA page_size")) {
                rs.next();
                frameBytes = rs.getLong(1) + 24;
            }
        }
        return frameBytes;
    }

    /**
     * A RESTART checkpoint copies the rest back and makes the next commit write from the start of the WAL file again;
     * TRUNCATE also cuts the file to nothing. Either holds the hub's write lock, so that no commit is under way (the
     * hub's writers queue in Java meanwhile), and waits at most RESTART_WAIT_MILLIS for readers to leave the WAL; if
     * they have not, it gives up (the caller tries again later). Returns the frames left in the log: 0 once done.
     */
    private long walCheckpoint(Connection c, String mode) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = " + RESTART_WAIT_MILLIS);
            try {
                return connections.holdingWriteLock(c, lock -> {
                    try (ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
                        rs.next();
                        // busy: readers stayed on the log, it goes on from where it is
                        return rs.getInt(1) == 1 ? Math.max(1, rs.getLong(2)) : 0L;
                    }
                });
            } finally {
                st.execute("PRAGMA busy_timeout = " + Dialect.SQLITE_BUSY_TIMEOUT_MILLIS);
            }
        }
    }

    /** A PASSIVE checkpoint; returns the frames in the log (written since it last started over) and those copied back. */
    private static long[] checkpoint(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next(); // one row: busy, frames in the log, frames copied back
            return new long[] {rs.getLong(2), rs.getLong(3)};
        }
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
        }
    }
}
