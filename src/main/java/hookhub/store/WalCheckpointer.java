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
 */
final class WalCheckpointer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);

    private final ConnectionFactory connections;
    private final long intervalMillis;
    private volatile boolean running = true;
    private Thread thread;

    WalCheckpointer(ConnectionFactory connections, long intervalMillis) {
        this.connections = connections;
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
                checkpoint(c);
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

    private static void checkpoint(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next(); // one row: busy, WAL frames, frames copied back; nothing to act on
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
