package hookhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the embedded store's free space back to the file system. SQLite reuses the pages that delivered bodies and
 * purged keys leave free, but never makes its file smaller by itself: after a day-long sink outage the file would
 * keep its largest size for good. Stores are created with {@code auto_vacuum = INCREMENTAL}, and this task returns
 * the free pages beyond a reserve (a quarter of the file, at least {@code minReserveBytes}) in steps of
 * {@value #STEP_PAGES} pages, each a short write transaction, so acceptance waits at most one step. The reserve, and
 * waiting until the excess has lasted a while, are there so that steady operation, which frees and reuses pages all
 * the time, never shrinks and regrows the file.
 *
 * <p>The file itself gets smaller when the next checkpoint copies the step back ({@link WalCheckpointer}).
 */
final class FreeSpaceReturner {

    private static final Logger LOG = LoggerFactory.getLogger(FreeSpaceReturner.class);

    /** 1 MiB with SQLite's default 4 KiB pages: a step holds the write lock about 3 ms (measured). */
    static final int STEP_PAGES = 256;
    /** Up to 32 MiB a second: the space of a day-long outage (tens of GB) goes back within the hour. */
    static final int MAX_STEPS_PER_RUN = 32;
    /** {@code PRAGMA auto_vacuum} of a store that can give pages back. */
    static final int INCREMENTAL = 2;

    private final ConnectionFactory connections;
    private final long minReserveBytes;
    private final int settleRuns;
    private Boolean incremental; // read once: it only changes with a VACUUM
    private int runsOverReserve;
    private long returnedSoFar;

    /**
     * @param settleRuns how many runs in a row must find more free space than the reserve before any is returned:
     *                   pages freed and soon reused under steady load are not worth moving
     */
    FreeSpaceReturner(ConnectionFactory connections, long minReserveBytes, int settleRuns) {
        this.connections = connections;
        this.minReserveBytes = minReserveBytes;
        this.settleRuns = settleRuns;
    }

    /** Returns free pages beyond the reserve, up to {@value #MAX_STEPS_PER_RUN} steps; returns the bytes given back. */
    long run(Connection c) throws SQLException {
        if (incremental == null) {
            incremental = pragma(c, "auto_vacuum") == INCREMENTAL;
        }
        if (!incremental) {
            return 0; // made by an earlier hookhub and too large to convert at start (see StoreUpgrades.incrementalVacuum)
        }
        long pageSize = pragma(c, "page_size");
        if (excessPages(c, pageSize) <= 0) {
            runsOverReserve = 0;
            if (returnedSoFar > 0) {
                LOG.info("Gave {} MiB of free store space back to the file system; the store file has {} MiB now",
                        returnedSoFar >> 20, pragma(c, "page_count") * pageSize >> 20);
                returnedSoFar = 0;
            }
            return 0;
        }
        if (++runsOverReserve <= settleRuns) {
            return 0;
        }
        long returned = 0;
        for (int step = 0; step < MAX_STEPS_PER_RUN; step++) {
            long excess = excessPages(c, pageSize);
            if (excess <= 0) {
                break;
            }
            long pages = pragma(c, "page_count");
            connections.relaxedTransaction(c, tx -> { // lost in a power cut: given back again
                // The driver steps a statement once, and each step of incremental_vacuum frees one page.
                try (PreparedStatement ps = tx.prepareStatement("PRAGMA incremental_vacuum")) {
                    for (long i = Math.min(STEP_PAGES, excess); i > 0; i--) {
                        ps.execute();
                    }
                }
                return null;
            });
            long left = pragma(c, "page_count");
            if (left >= pages) {
                break; // nothing moved: do not spin
            }
            returned += (pages - left) * pageSize;
        }
        returnedSoFar += returned;
        return returned;
    }

    /** Free pages beyond the reserve: a quarter of the file, at least minReserveBytes. */
    private long excessPages(Connection c, long pageSize) throws SQLException {
        long reserve = Math.max(minReserveBytes / pageSize, pragma(c, "page_count") / 4);
        return pragma(c, "freelist_count") - reserve;
    }

    static long pragma(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
