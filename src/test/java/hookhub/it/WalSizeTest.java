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
 * 4 MiB bound it must stay well below that.
 */
class WalSizeTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path work;

    @Test
    void theWriteAheadLogStaysNearItsRestartSizeUnderSteadyLoad() throws Exception {
        long unbounded = largestWalUnderLoad(work.resolve("unbounded"), "64GiB");
        long bounded = largestWalUnderLoad(work.resolve("bounded"), "4MiB");
        System.out.printf("WalSizeTest: largest hookhub.db-wal %d MiB unbounded, %d MiB with a 4 MiB restart size%n",
                unbounded / MIB, bounded / MIB);
        assertTrue(unbounded > 48 * MIB, "the load must grow an unbounded log past 48 MiB, it reached " + unbounded / MIB + " MiB");
        // the bounded log may overshoot while readers are in the way, but it must not follow the load
        assertTrue(bounded * 2 < unbounded, "with a 4 MiB restart size the log reached " + bounded / MIB + " MiB, unbounded "
                + unbounded / MIB + " MiB");
    }

    /** Sends events from 16 threads for 12 s and returns the largest size hookhub.db-wal had meanwhile. */
    private static long largestWalUnderLoad(Path dir, String restartSize) throws Exception {
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
            } finally {
                pool.shutdown();
                pool.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            }
            return largest.get();
        }
    }
}
