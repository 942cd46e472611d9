package hookhub.store;

import java.util.List;

/**
 * The new events one group commit stored, as the sinks receive them in memory (see {@link FreshSegments}). On
 * PostgreSQL the group commit also writes one {@code hookhub_pending} row per sink for it: a run, whose events are the
 * bodies with a seq between {@code first} and {@code last} and this {@code seg} (another instance's events can fall
 * between them; they carry another seg).
 *
 * @param seg    PostgreSQL: the run's identity, its first seq, also stored with each of its bodies; SQLite: 0
 * @param events the events in seq order, lines included
 */
public record Segment(long seg, long first, long last, long oldestReceivedAt, long bytes, List<StoredEvent> events) {

    public int size() {
        return events.size();
    }
}
