package hookhub.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * New events the group commit hands to one sink in memory, so that the sink delivers them without reading them back
 * from the store. Memory only saves that read: the events are committed before they get here, and whatever memory
 * does not hold (it is full, a restart, …) the sink reads from the store.
 *
 * <p>On PostgreSQL the runs' {@code hookhub_pending} rows are leased to this instance while they wait here, so that no
 * other instance claims them; a run whose lease is about to end is forgotten here and left to the store path, which
 * takes it over once the lease has run out. On SQLite a run needs no lease: the sink's cursor says what is claimed
 * (see {@link SinkTail}), and each run here carries the seq committed just before it, so the sink knows whether
 * memory continues where its cursor stands.
 */
final class FreshSegments {

    /**
     * A run waiting in memory, until when its rows are leased to this instance (PostgreSQL; Long.MAX_VALUE on SQLite),
     * and the newest seq committed before it (SQLite; -1 on PostgreSQL).
     */
    record Fresh(Segment segment, long leaseUntil, long prevSeq) {
    }

    private final long budgetBytes;
    private final long leaseMillis;
    /** Bytes reserved by the writer or held here (a run's line bytes). */
    private final AtomicLong used = new AtomicLong();
    /** Filled by the writer thread after each commit. */
    private final ConcurrentLinkedQueue<Fresh> incoming = new ConcurrentLinkedQueue<>();
    /** Runs in commit (seq) order; only the sink's thread touches it, under its queue's lock. */
    private final ArrayDeque<Fresh> held = new ArrayDeque<>();

    FreshSegments(long budgetBytes, long leaseMillis) {
        this.budgetBytes = budgetBytes;
        this.leaseMillis = leaseMillis;
    }

    long leaseMillis() {
        return leaseMillis;
    }

    /** Writer: room for this many bytes? If so they are reserved. */
    boolean reserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > budgetBytes) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Writer: the group was not committed after all. */
    void cancel(long bytes) {
        used.addAndGet(-bytes);
    }

    /** Writer, after the commit (PostgreSQL): the reserved runs, leased to this instance until leaseUntil. */
    void offer(List<Segment> segments, long leaseUntil) {
        for (Segment s : segments) {
            incoming.add(new Fresh(s, leaseUntil, -1));
        }
    }

    /** Writer, after the commit (SQLite): the reserved run, committed right after prevSeq. */
    void offerAfter(Segment segment, long prevSeq) {
        incoming.add(new Fresh(segment, Long.MAX_VALUE, prevSeq));
    }

    /**
     * Runs that can be claimed now, oldest first: what the writer offered since the last call, without the runs whose
     * lease ends within a safety margin (forgotten here; the store path takes them over after the lease).
     */
    ArrayDeque<Fresh> held(long now) {
        for (Fresh f; (f = incoming.poll()) != null;) {
            held.add(f);
        }
        long margin = Math.min(leaseMillis / 2, 30_000);
        while (!held.isEmpty() && held.peekFirst().leaseUntil() - margin <= now) {
            release(held.pollFirst().segment().bytes());
        }
        return held;
    }

    /**
     * SQLite: forgets the events the store path claimed (at or below the cursor), also the first part of a run that
     * was committed while the store path read; returns the seq memory continues from (its first run's prevSeq), or
     * Long.MAX_VALUE when it holds nothing.
     */
    long continuesFrom(long cursor, long now) {
        held(now);
        while (!held.isEmpty() && held.peekFirst().segment().first() <= cursor) {
            Fresh f = held.pollFirst();
            Segment s = f.segment();
            if (s.last() <= cursor) {
                release(s.bytes());
                continue;
            }
            List<StoredEvent> rest = s.events().stream().filter(e -> e.seq() > cursor).toList();
            long restBytes = rest.stream().mapToLong(e -> e.line().length).sum();
            release(s.bytes() - restBytes);
            long oldest = rest.stream().mapToLong(StoredEvent::receivedAt).min().orElse(s.oldestReceivedAt());
            held.addFirst(new Fresh(new Segment(s.seg(), rest.get(0).seq(), s.last(), oldest, restBytes, rest),
                    f.leaseUntil(), cursor));
        }
        return held.isEmpty() ? Long.MAX_VALUE : held.peekFirst().prevSeq();
    }

    /**
     * The oldest runs that make one batch, if it is due: full (the next run would not fit, or the limits are reached),
     * its oldest event is maxAge old, or memory is half used. A run is never split: a batch holds at least one. On
     * SQLite a batch also ends where memory has a gap (a run it had no room for); the store path fills the gap.
     */
    List<Fresh> dueBatch(BatchPolicy policy, long now) {
        List<Fresh> take = new ArrayList<>();
        long records = 0;
        long bytes = 0;
        long oldest = Long.MAX_VALUE;
        boolean full = false;
        long previousLast = -1;
        for (Fresh f : held(now)) {
            Segment s = f.segment();
            if (!take.isEmpty() && (records + s.size() > policy.maxRecords() || bytes + s.bytes() > policy.maxBytes()
                    || f.prevSeq() >= 0 && f.prevSeq() != previousLast)) {
                full = true;
                break;
            }
            take.add(f);
            records += s.size();
            bytes += s.bytes();
            oldest = Math.min(oldest, s.oldestReceivedAt());
            previousLast = s.last();
        }
        if (take.isEmpty()) {
            return take;
        }
        boolean due = full || records >= policy.maxRecords() || bytes >= policy.maxBytes()
                || now - oldest >= policy.maxAge().toMillis() || used.get() >= budgetBytes / 2;
        return due ? take : List.of();
    }

    /** The sink claimed (or gave up on) these runs, the oldest ones held. */
    void remove(List<Fresh> taken) {
        for (int i = 0; i < taken.size(); i++) {
            release(held.pollFirst().segment().bytes());
        }
    }

    /** Everything held, emptied (shutdown: the caller gives the leases back). */
    List<Fresh> drain() {
        held(Long.MIN_VALUE);
        List<Fresh> all = new ArrayList<>(held);
        while (!held.isEmpty()) {
            release(held.pollFirst().segment().bytes());
        }
        return all;
    }

    /** Bytes in use (for tests and metrics). */
    long usedBytes() {
        return used.get();
    }

    private void release(long bytes) {
        used.addAndGet(-bytes);
    }
}
