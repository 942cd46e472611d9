package hookhub.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One sink's connection to the store: its reads, and its write transactions through the {@link ConnectionFactory}
 * (on SQLite they queue on the hub's write lock). A connection that failed is reopened on next use.
 */
final class SinkConnection {

    final String sink;
    final PendingSql sql;
    private final ConnectionFactory connections;
    private Connection connection;

    SinkConnection(String sink, ConnectionFactory connections) {
        this.sink = sink;
        this.connections = connections;
        this.sql = new PendingSql(connections.dialect());
    }

    Dialect dialect() {
        return connections.dialect();
    }

    /** The connection, opened if needed. */
    Connection get() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = connections.open();
        }
        return connection;
    }

    <T> T transaction(ConnectionFactory.SqlWork<T> work) throws SQLException {
        return run(work, false);
    }

    /** A transaction whose loss in a power cut only means repeated work (see {@link ConnectionFactory#relaxedTransaction}). */
    <T> T relaxedTransaction(ConnectionFactory.SqlWork<T> work) throws SQLException {
        return run(work, true);
    }

    private <T> T run(ConnectionFactory.SqlWork<T> work, boolean relaxed) throws SQLException {
        get();
        try {
            return relaxed ? connections.relaxedTransaction(connection, work) : connections.transaction(connection, work);
        } catch (SQLException e) {
            forgetIfBroken();
            throw e;
        }
    }

    /** After a failed read: a broken connection is dropped and reopened next time. */
    void forgetIfBroken() throws SQLException {
        if (connection != null && !connection.isValid(2)) {
            connections.closeQuietly(connection);
            connection = null;
        }
    }

    void close() {
        connections.closeQuietly(connection);
        connection = null;
    }

    /** Error texts kept with a row are cut to this length. */
    static String truncate(String s) {
        if (s == null) {
            return null;
        }
        return s.length() <= 2000 ? s : s.substring(0, 2000);
    }
}
