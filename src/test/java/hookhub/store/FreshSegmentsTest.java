package hookhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When runs held in memory make a batch, and how the memory budget is kept. */
class FreshSegmentsTest {

    private static final long NOW = 1_000_000;

    /** A run of n events of 100 bytes each, received at receivedAt, starting at seq first. */
    private static Segment run(long first, int n, long receivedAt) {
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new StoredEvent(first + i, first, "s", receivedAt, receivedAt, new byte[100]));
        }
        return new Segment(first, first, first + n - 1, receivedAt, 100L * n, events);
    }

    private static FreshSegments holding(long budget, Segment... runs) {
        FreshSegments f = new FreshSegments(budget, 60_000);
        long bytes = 0;
        for (Segment s : runs) {
            bytes += s.bytes();
        }
        assertTrue(f.reserve(bytes));
        f.offer(List.of(runs), NOW + 60_000);
        return f;
    }

    @Test
    void aBatchIsDueWhenTheNextRunWouldNotFitAndNeverSplitsARun() {
        BatchPolicy tenEvents = new BatchPolicy(10, 1 << 20, Duration.ofHours(1), Duration.ofMinutes(1));
        FreshSegments f = holding(1 << 20, run(1, 4, NOW), run(5, 4, NOW), run(9, 4, NOW));
        List<FreshSegments.Fresh> batch = f.dueBatch(tenEvents, NOW);
        assertEquals(List.of(1L, 5L), batch.stream().map(x -> x.segment().first()).toList(), "8 events; the third run would make 12");
        f.remove(batch);
        assertTrue(f.dueBatch(tenEvents, NOW).isEmpty(), "4 events, young: not due yet");
        assertEquals(1, f.dueBatch(new BatchPolicy(2, 1 << 20, Duration.ofHours(1), Duration.ofMinutes(1)), NOW).size(),
                "a run larger than a batch is a batch of its own");
    }

    @Test
    void aBatchIsDueByAgeOrByBytes() {
        BatchPolicy policy = new BatchPolicy(1000, 1000, Duration.ofSeconds(10), Duration.ofMinutes(1));
        assertTrue(holding(1 << 20, run(1, 2, NOW)).dueBatch(policy, NOW + 9_999).isEmpty());
        assertEquals(1, holding(1 << 20, run(1, 2, NOW)).dueBatch(policy, NOW + 10_000).size(), "its oldest event is 10 s old");
        assertEquals(1, holding(1 << 20, run(1, 10, NOW)).dueBatch(policy, NOW).size(), "1,000 bytes");
    }

    @Test
    void memoryHalfUsedMakesABatchDueAndAFullOneRefusesMore() {
        BatchPolicy policy = new BatchPolicy(1000, 1 << 20, Duration.ofHours(1), Duration.ofMinutes(1));
        FreshSegments f = holding(1000, run(1, 5, NOW));
        assertEquals(1, f.dueBatch(policy, NOW).size(), "500 of 1,000 bytes held");
        assertFalse(f.reserve(501), "no room for more than the budget");
        assertTrue(f.reserve(500));
        f.cancel(500);
        f.remove(f.dueBatch(policy, NOW));
        assertEquals(0, f.usedBytes());
    }

    @Test
    void runsWhoseLeaseIsAboutToEndAreLetGo() {
        FreshSegments f = new FreshSegments(1 << 20, 60_000);
        assertTrue(f.reserve(200));
        f.offer(List.of(run(1, 1, NOW)), NOW + 60_000);
        f.offer(List.of(run(2, 1, NOW)), NOW + 90_000);
        assertEquals(2, f.held(NOW).size());
        assertEquals(1, f.held(NOW + 30_000).size(), "the first run's lease ends within the 30 s margin");
        assertEquals(100, f.usedBytes());
    }

    @Test
    void sqliteMemoryContinuesTheCursorAndTrimsWhatTheStorePathTook() {
        FreshSegments f = new FreshSegments(1 << 20, 60_000);
        assertTrue(f.reserve(600));
        f.offerAfter(run(11, 4, NOW), 10); // 11..14, committed right after 10
        f.offerAfter(run(15, 2, NOW), 14);
        assertEquals(Long.MAX_VALUE, new FreshSegments(1 << 20, 60_000).continuesFrom(0, NOW), "empty: the store path reads on");
        assertEquals(10, f.continuesFrom(5, NOW), "the cursor is behind: the store path reads 6..10 first");
        assertEquals(12, f.continuesFrom(12, NOW), "the store path took 11 and 12: memory continues after them");
        List<FreshSegments.Fresh> batch = f.dueBatch(new BatchPolicy(1000, 1 << 20, Duration.ZERO, Duration.ofMinutes(1)), NOW);
        assertEquals(List.of(13L, 14L, 15L, 16L), batch.stream().flatMap(x -> x.segment().events().stream()).map(StoredEvent::seq).toList());
        f.remove(batch);
        assertEquals(0, f.usedBytes());
    }

    @Test
    void sqliteBatchesStopAtAGapInMemory() {
        FreshSegments f = new FreshSegments(1 << 20, 60_000);
        assertTrue(f.reserve(500));
        f.offerAfter(run(1, 2, NOW), 0);
        f.offerAfter(run(6, 3, NOW), 5); // 3..5 were not handed over (no room then)
        BatchPolicy now = new BatchPolicy(1000, 1 << 20, Duration.ZERO, Duration.ofMinutes(1));
        assertEquals(List.of(1L), f.dueBatch(now, NOW).stream().map(x -> x.segment().first()).toList());
    }
}
