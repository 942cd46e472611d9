package hookhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every connection to the embedded store runs with the settings the store's design relies on (docs/architecture.md,
 * "The store"): the driver applies some of them only when it knows the property name, and a misspelt one is ignored
 * without a word.
 */
class SqliteConnectionSettingsTest {

    @TempDir
    Path dir;

    private Connection open(String sync) throws SQLException {
        return new ConnectionFactory(new StoreSettings("jdbc:sqlite:" + dir.resolve("settings.db"), "", "", sync,
                Duration.ofHours(72), 0, 0, Duration.ofSeconds(10), 1000, 64L << 20)).open();
    }

    @Test
    void connectionsUseTheStoresSettings() throws SQLException {
        try (Connection c = open("normal")) {
            assertEquals(1, FreeSpaceReturner.pragma(c, "synchronous"), "synchronous = NORMAL");
            assertEquals(0, FreeSpaceReturner.pragma(c, "wal_autocheckpoint"), "WalCheckpointer checkpoints, no commit does");
            assertEquals(-1, FreeSpaceReturner.pragma(c, "journal_size_limit"), "no commit truncates the log");
            assertEquals(2, FreeSpaceReturner.pragma(c, "temp_store"), "statement journals in memory, not in temp files");
            assertEquals(FreeSpaceReturner.INCREMENTAL, FreeSpaceReturner.pragma(c, "auto_vacuum"), "a new file can give space back");
            try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertEquals("wal", rs.getString(1));
            }
        }
    }

    @Test
    void fullSyncIsFull() throws SQLException {
        try (Connection c = open("full")) {
            assertEquals(2, FreeSpaceReturner.pragma(c, "synchronous"), "synchronous = FULL");
        }
    }
}
