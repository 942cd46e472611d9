package hookhub.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/** Opens store connections configured for this store's engine and durability setting. */
final class ConnectionFactory {

    private final StoreSettings settings;
    private final Dialect dialect;

    /**
     * SQLite has one write lock per database, and a connection that finds it taken sleeps and polls (1, 2, 5 … 25 ms
     * and more). Taking this lock first makes the hub's own writers (the group commit and the sinks) queue in Java
     * and wake the moment it is free; SQLite's busy wait is then left for other processes such as the CLI.
     */
    private final ReentrantLock sqliteWriteLock;

    ConnectionFactory(StoreSettings settings) {
        this.settings = settings;
        this.dialect = Dialect.of(settings);
        this.sqliteWriteLock = dialect == Dialect.SQLITE ? new ReentrantLock(true) : null;
    }

    Connection open() throws SQLException {
        return dialect.open(settings);
    }

    /** Work inside one transaction. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs work in a transaction and commits it; rolls back and rethrows on failure. Connections stay in auto-commit
     * mode between transactions, so on SQLite the write lock is held only while a transaction runs.
     */
    <T> T transaction(Connection c, SqlWork<T> work) throws SQLException {
        if (sqliteWriteLock == null) {
            return inTransaction(c, work);
        }
        sqliteWriteLock.lock();
        try {
            return inTransaction(c, work);
        } finally {
            sqliteWriteLock.unlock();
        }
    }

    /** Work outside any transaction (a checkpoint) while none of the hub's writers runs (SQLite only). */
    <T> T holdingWriteLock(Connection c, SqlWork<T> work) throws SQLException {
        sqliteWriteLock.lock();
        try {
            return work.run(c);
        } finally {
            sqliteWriteLock.unlock();
        }
    }

    private <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // a broken connection is reopened by its owner on the next failure
            }
        }
    }

    Dialect dialect() {
        return dialect;
    }

    void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a broken connection can fail; nothing to do
        }
    }
}
