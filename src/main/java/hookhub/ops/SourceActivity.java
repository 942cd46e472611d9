package hookhub.ops;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Per source, what the status page shows: counters since start, when the last event came, the last rejection. */
public final class SourceActivity {

    /** One source's figures. */
    public static final class Entry {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        volatile long lastEventAt;
        volatile String lastError;

        public long accepted() {
            return accepted.get();
        }

        public long duplicates() {
            return duplicates.get();
        }

        public long rejected() {
            return rejected.get();
        }

        public long lastEventAt() {
            return lastEventAt;
        }

        public String lastError() {
            return lastError;
        }
    }

    private final Map<String, Entry> sources = new ConcurrentHashMap<>();

    void accepted(String source, long events, long duplicates) {
        Entry e = entry(source);
        e.accepted.addAndGet(events);
        e.duplicates.addAndGet(duplicates);
        e.lastEventAt = System.currentTimeMillis();
    }

    void rejected(String source, String reason) {
        Entry e = entry(source);
        e.rejected.incrementAndGet();
        e.lastError = reason;
    }

    private Entry entry(String source) {
        return sources.computeIfAbsent(source == null ? "unknown" : source, s -> new Entry());
    }

    public Map<String, Entry> snapshot() {
        return new TreeMap<>(sources);
    }
}
