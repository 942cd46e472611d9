package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under steady load SQLite's write-ahead log never gets a quiet moment to start over by itself, so it grew without
 * bound (65 MB/s at 2,000 events/s). hookhub.store.wal-restart-size bounds it. The same load is run twice: with the
 * bound out of reach the log must grow far past it (so the load is steady enough to show the problem), with a
 * 4 MiB bound it must stay well below that. Once the load is over and everything is delivered, the hub cuts the log
 * file to nothing, so a quiet hub does not keep a burst's log on disk.
 */
class WalSizeTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path work;

    @Test
    void theWriteAheadLogStaysNearItsRestartSizeUnderSteadyLoad() throws Exception {
        long unbounded = largestWalUnderLoad(work.resolve("unbounded"), "64GiB", false);
        long bounded = largestWalUnderLoad(work.resolve("bounded"), "4MiB", true);
        System.out.printf("WalSizeTest: largest hookhub.db-wal %d MiB unbounded, %d MiB with a 4 MiB restart size%n",
                unbounded / MIB, bounded / MIB);
        assertTrue(unbounded > 48 * MIB, "the load must grow an unbounded log past 48 MiB, it reached " + unbounded / MIB + " MiB");
        // the bounded log may overshoot while readers are in the way, but it must not follow the load
        assertTrue(bounded * 2 < unbounded, "with a 4 MiB restart size the log reached " + bounded / MIB + " MiB, unbounded "
                + unbounded / MIB + " MiB");
    }

    /**
     * Sends events from 16 threads for 12 s and returns the largest size hookhub.db-wal had meanwhile; thenQuiet: also
     * requires the file to be cut to nothing once the hub has been quiet for a while.
     */
    private static long largestWalUnderLoad(Path dir, String restartSize, boolean thenQuiet) throws Exception {
        try (TestHub hub = TestHub.withShippedRoutes(dir).set("hookhub.store.wal-restart-size", restartSize).start()) {
            Path wal = hub.dataDir().resolve("hookhub.db-wal");
            AtomicLong largest = new AtomicLong();
            AtomicInteger next = new AtomicInteger();
            long end = System.currentTimeMillis() + 12_000;
            ExecutorService pool = Executors.newFixedThreadPool(17);
            try {
                List<Future<Integer>> senders = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    senders.add(pool.submit(() -> {
                        int sent = 0;
                        while (System.currentTimeMillis() < end) {
                            HubClient.Reply r = hub.client().post("/webhooks/call050", "application/x-www-form-urlencoded",
                                    Traffic.callReport(next.incrementAndGet()));
                            assertEquals(200, r.status(), r.body());
                            sent++;
                        }
                        return sent;
                    }));
                }
                pool.submit(() -> {
                    while (System.currentTimeMillis() < end + 500) {
                        if (Files.exists(wal)) {
                            largest.accumulateAndGet(Files.size(wal), Math::max);
                        }
                        Thread.sleep(50);
                    }
                    return null;
                });
                for (Future<Integer> f : senders) {
                    f.get();
                }
                if (thenQuiet) {
                    long deadline = System.currentTimeMillis() + 40_000; // delivery of the backlog, then 10 s quiet
                    while (Files.size(wal) > 0 && System.currentTimeMillis() < deadline) {
                        Thread.sleep(200);
                    }
                    assertEquals(0, Files.size(wal), "a quiet hub cuts its write-ahead log to nothing");
                }
            } finally {
                pool.shutdown();
                pool.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            }
            return largest.get();
        }
    }
}
