package hookhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PostgreSQL's side of the memory hand-off: what a reservation holds, gives back and offers, sink by sink. */
class MemoryHandOffReservationTest {

    private static Segment run(long first, int n) {
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new StoredEvent(first + i, first, "s", 0, 0, new byte[100]));
        }
        return new Segment(first, first, first + n - 1, 0, 100L * n, events);
    }

    @Test
    void eachSinkHoldsTheRunUnderItsOwnRowsLease() {
        FreshSegments lake = new FreshSegments(1 << 20, 60_000);
        FreshSegments firehose = new FreshSegments(1 << 20, 600_000);
        Map<String, FreshSegments> memory = Map.of("lake", lake, "firehose", firehose);
        MemoryHandOff handOff = new MemoryHandOff(List.of("lake", "s3", "firehose"), memory::get, true);
        Segment run = run(1, 3);

        long before = System.currentTimeMillis();
        MemoryHandOff.Reservation reserved = handOff.reserve(run);
        long[] lease = reserved.leaseUntil();
        assertEquals(0, lease[1], "s3 has no memory: its row is not leased");
        assertTrue(lease[0] >= before + 60_000 && lease[2] >= before + 600_000, "each row's lease is its own sink's");
        handOff.committed(run, reserved);

        assertEquals(lease[0], lake.held(before).peekFirst().leaseUntil(), "the lake holds the run until its row's lease ends");
        assertEquals(lease[2], firehose.held(before).peekFirst().leaseUntil(), "so does Firehose, with its longer lease");
    }

    @Test
    void aFailedCommitGivesTheRoomBack() {
        FreshSegments lake = new FreshSegments(1 << 20, 60_000);
        MemoryHandOff handOff = new MemoryHandOff(List.of("lake"), sink -> lake, true);

        MemoryHandOff.Reservation reserved = handOff.reserve(run(1, 3));
        assertEquals(300, lake.usedBytes());
        reserved.cancel();
        assertEquals(0, lake.usedBytes(), "nothing stays reserved for a run that was not committed");
        assertTrue(lake.held(0).isEmpty(), "and nothing was offered");
    }
}
