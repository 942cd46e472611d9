package hookhub.store;

import java.util.List;

/**
 * Rows claimed together for one sink. The name is fixed when the batch is formed (first and last sequence number),
 * and a batch that is retried or re-claimed after a crash keeps its rows and its name, so a sink that names its
 * output after the batch replaces it instead of adding a copy.
 *
 * @param attempt    1 for the first delivery attempt, 2 for the first retry, …
 * @param fromMemory true when its events came from the group commit's hand-off, false when they were read back from
 *                   the store (a retry, a restart, rows written while memory was full)
 */
public record Batch(String sink, String name, int attempt, List<StoredEvent> events, boolean fromMemory) {

    /** When the oldest event of the batch was received. */
    public long oldestReceivedAt() {
        return events.stream().mapToLong(StoredEvent::receivedAt).min().orElse(Long.MAX_VALUE);
    }

    public long bytes() {
        long n = 0;
        for (StoredEvent e : events) {
            n += e.line().length;
        }
        return n;
    }
}
