package hookhub.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Hands each committed run of new events to the sinks in memory ({@link FreshSegments}) where they have room, so that a
 * claim reads nothing back from the store. Called by the group-commit writer's thread only.
 *
 * <p>SQLite reserves the room after the commit, and each run carries the seq committed just before it, so a sink knows
 * whether memory continues where its cursor stands. PostgreSQL reserves it before the run's {@code hookhub_pending}
 * rows are inserted: a row is leased to this instance only where memory will hold its run (no other instance claims
 * it then), and a commit that fails gives the room back.
 */
final class MemoryHandOff {

    private final List<String> sinks;
    /** Each sink's memory, or null where the sink reads everything from the store. */
    private final Function<String, FreshSegments> memory;
    private final boolean postgres;
    /** SQLite: the newest seq committed, so each hand-off says where it continues from. */
    private long lastSeq;

    MemoryHandOff(List<String> sinks, Function<String, FreshSegments> memory, boolean postgres) {
        this.sinks = sinks;
        this.memory = memory;
        this.postgres = postgres;
    }

    /** The newest seq in the store when the writer starts. */
    void startAfter(long seq) {
        lastSeq = seq;
    }

    /** PostgreSQL, before the run's rows are inserted: room for it in each sink's memory that has some. */
    Reservation reserve(Segment run) {
        Reservation r = new Reservation(run, sinks.size());
        long now = System.currentTimeMillis();
        for (int i = 0; i < sinks.size(); i++) {
            FreshSegments fresh = memory.apply(sinks.get(i));
            if (fresh != null && fresh.reserve(run.bytes())) {
                r.leaseUntil[i] = now + fresh.leaseMillis();
                r.reserved.add(new Held(fresh, r.leaseUntil[i]));
            }
        }
        return r;
    }

    /** After the commit: the run (null: only duplicates) goes to each sink in memory where there is room. */
    void committed(Segment run, Reservation reserved) {
        if (run == null) {
            return; // only duplicates
        }
        if (postgres) {
            reserved.offer();
            return;
        }
        for (String sink : sinks) {
            FreshSegments fresh = memory.apply(sink);
            if (fresh != null && fresh.reserve(run.bytes())) {
                fresh.offerAfter(run, lastSeq);
            } // else the sink reads these events from the store
        }
        lastSeq = run.last();
    }

    /** One sink's memory that reserved room for a run, and the lease its row got (the run carries it there). */
    private record Held(FreshSegments memory, long leaseUntil) {
    }

    /** PostgreSQL: the room one run got in the sinks' memory, until it is offered or given back. */
    static final class Reservation {
        private final Segment run;
        private final List<Held> reserved = new ArrayList<>();
        /** Per sink, in the writer's order: until when its row is leased to this instance (0: none). */
        private final long[] leaseUntil;

        private Reservation(Segment run, int sinks) {
            this.run = run;
            this.leaseUntil = new long[sinks];
        }

        long[] leaseUntil() {
            return leaseUntil;
        }

        /** The commit failed: the room goes back. */
        void cancel() {
            reserved.forEach(h -> h.memory().cancel(run.bytes()));
            reserved.clear();
        }

        private void offer() {
            reserved.forEach(h -> h.memory().offer(List.of(run), h.leaseUntil()));
            reserved.clear();
        }
    }
}
