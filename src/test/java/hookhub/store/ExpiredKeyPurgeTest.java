package hookhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dedup purge on a real store (SQLite, and PostgreSQL when HOOKHUB_TEST_PG_URL is set): it forgets exactly the
 * keys older than the cutoff that no sink still needs, across chunks of 1,000, when many old keys share one
 * received_at and when the keys still needed (dead letters) come first.
 */
class ExpiredKeyPurgeTest {

    private static final long OLD = 1_000;
    private static final long CUTOFF = 2_000;
    private static final long NEW = 3_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void forgetsExactlyTheOldKeysNoSinkNeedsAcrossChunks(String engine) throws SQLException {
        boolean postgres = engine.equals("postgres");
        String url = postgres ? hookhub.it.PostgresTestDb.freshSchemaUrl() : "jdbc:sqlite:" + dir.resolve("purge.db");
        ConnectionFactory connections = new ConnectionFactory(new StoreSettings(url, postgres ? hookhub.it.PostgresTestDb.user() : "", "",
                "normal", Duration.ofHours(72), 0, 0, Duration.ofSeconds(10), 1000, 64L << 20));
        Dialect dialect = connections.dialect();
        try (Connection c = connections.open()) {
            try (Statement st = c.createStatement()) {
                for (String ddl : dialect.schema()) {
                    st.execute(ddl);
                }
            }
            // seq 1..1500: old, dead letters for s3 in rows of 10 (kept); 1501..4000: old, all at one received_at,
            // every 10th still waiting for the lake in a row of its own (kept), and a lake row over 2001..2009; the
            // rest is delivered everywhere (purged); 4001..4100: new (kept). On PostgreSQL 2001..2009 are two
            // interleaved runs, as two instances store them: the row holds the odd seqs (seg 2001), the even ones
            // (seg 2002) are delivered. On SQLite (one writer, no interleaving) a row holds its whole range.
            connections.transaction(c, tx -> {
                try (PreparedStatement event = tx.prepareStatement("INSERT INTO hookhub_events (seq, source, id, received_at, partition_at)"
                        + " VALUES (?, 'appsflyer', ?, ?, 0)");
                        PreparedStatement body = tx.prepareStatement("INSERT INTO hookhub_bodies (seq, seg, record) VALUES (?, ?, '{}')");
                        PreparedStatement pending = tx.prepareStatement("INSERT INTO hookhub_pending (sink, seq, last_seq, seg,"
                                + " received_at, events, bytes, dead) VALUES (?, ?, ?, ?, 0, ?, 2, ?)")) {
                    for (long seq = 1; seq <= 4100; seq++) {
                        event.setLong(1, seq);
                        event.setString(2, "id-" + seq);
                        event.setLong(3, seq <= 4000 ? OLD : NEW);
                        event.addBatch();
                        body.setLong(1, seq);
                        body.setLong(2, !postgres ? 0 : seq <= 1500 ? (seq - 1) / 10 * 10 + 1 : seq > 2000 && seq < 2010 ? 2002 - seq % 2 : seq);
                        body.addBatch();
                        if (seq <= 1500 && seq % 10 == 1) {
                            addRun(pending, "s3", seq, seq + 9, postgres ? seq : 0, 10, true);
                        } else if (seq > 1500 && seq <= 4000 && seq % 10 == 0) {
                            addRun(pending, "lake", seq, seq, postgres ? seq : 0, 1, false);
                        }
                    }
                    addRun(pending, "lake", 2001, 2009, postgres ? 2001 : 0, postgres ? 5 : 9, false);
                    event.executeBatch();
                    body.executeBatch();
                    pending.executeBatch();
                }
                return null;
            });

            int purged = new ExpiredKeyPurge(connections, null).run(c, CUTOFF);

            long waiting = (4000 - 1500) / 10 + (postgres ? 5 : 9);
            assertEquals(2500 - waiting, purged);
            assertEquals(1500 + waiting + 100, count(c, "SELECT COUNT(*) FROM hookhub_events"));
            assertEquals(1500, count(c, "SELECT COUNT(*) FROM hookhub_events WHERE seq <= 1500"), "dead letters keep their keys");
            assertEquals(waiting, count(c, "SELECT COUNT(*) FROM hookhub_events WHERE seq > 1500 AND seq <= 4000"),
                    "events a sink still waits for keep their keys");
            assertEquals(postgres ? List.of(2001L, 2003L, 2005L, 2007L, 2009L) : List.of(2001L, 2002L, 2003L, 2004L, 2005L, 2006L, 2007L,
                    2008L, 2009L), longs(c, "SELECT seq FROM hookhub_events WHERE seq > 2000 AND seq < 2010 ORDER BY seq"),
                    postgres ? "a run holds its own events, not another run's between them" : "a row holds its whole range");
            assertEquals(0, count(c, "SELECT COUNT(*) FROM hookhub_events e WHERE NOT EXISTS (SELECT 1 FROM hookhub_bodies b WHERE b.seq = e.seq)"),
                    "every kept key keeps its body");
            assertEquals(count(c, "SELECT COUNT(*) FROM hookhub_events"), count(c, "SELECT COUNT(*) FROM hookhub_bodies"),
                    "the purged keys' bodies are gone too");
            assertEquals(0, new ExpiredKeyPurge(connections, null).run(c, CUTOFF), "a second run finds nothing");
        }
    }

    private static void addRun(PreparedStatement pending, String sink, long first, long last, long seg, int events, boolean dead)
            throws SQLException {
        pending.setString(1, sink);
        pending.setLong(2, first);
        pending.setLong(3, last);
        pending.setLong(4, seg);
        pending.setInt(5, events);
        pending.setInt(6, dead ? 1 : 0);
        pending.addBatch();
    }

    private static List<Long> longs(Connection c, String sql) throws SQLException {
        List<Long> out = new java.util.ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
