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

    /** SQLite: the group-commit writer, once it runs; other threads' write transactions ride along with its groups. */
    private volatile GroupCommitWriter writer;

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

    /** SQLite: from now on other threads' write transactions run on this writer's connection (see GroupCommitWriter#write). */
    void writeThrough(GroupCommitWriter writer) {
        this.writer = dialect == Dialect.SQLITE ? writer : null;
    }

    /**
     * Runs work in a transaction and commits it; rolls back and rethrows on failure. Connections stay in auto-commit
     * mode between transactions, so on SQLite the write lock is held only while a transaction runs. On SQLite, once
     * the group-commit writer runs, the work runs there instead, on its connection, with the next group: c is only
     * used when it does not run.
     */
    <T> T transaction(Connection c, SqlWork<T> work) throws SQLException {
        if (sqliteWriteLock == null) {
            return inTransaction(c, work);
        }
        GroupCommitWriter w = writer;
        if (w != null && w.takesWork()) {
            java.util.Optional<T> done = w.write(work);
            if (done != null) {
                return done.orElse(null);
            }
        }
        sqliteWriteLock.lock();
        try {
            return inTransaction(c, work);
        } finally {
            sqliteWriteLock.unlock();
        }
    }

    /**
     * A transaction whose loss in a power cut (or a database server crash) costs nothing but repeated work: a sink's
     * "delivered" (the batch is sent again, under the same name), the clean-up of bodies and keys (done again). With
     * hookhub.store.sync=full it commits without waiting for the disk; the next durable commit (the group commit's,
     * a few milliseconds later under load) carries it to disk with everything before it. Each sync is a write to the
     * disk that every accepted request waits behind.
     */
    <T> T relaxedTransaction(Connection c, SqlWork<T> work) throws SQLException {
        GroupCommitWriter w = writer;
        if (!settings.fullSync() || w != null && w.takesWork() && Thread.currentThread() != w.thread()) {
            return transaction(c, work); // (on the writer it rides along with a group: no sync of its own)
        }
        if (dialect == Dialect.POSTGRES) {
            return transaction(c, tx -> {
                try (java.sql.Statement st = tx.createStatement()) {
                    st.execute("SET LOCAL synchronous_commit = off");
                }
                return work.run(tx);
            });
        }
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("PRAGMA synchronous = NORMAL");
            try {
                return transaction(c, work);
            } finally {
                st.execute("PRAGMA synchronous = FULL");
            }
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
