package hookhub.deliver;

import hookhub.store.BatchPolicy;
import java.time.Duration;

/**
 * hookhub.batch.* and hookhub.delivery.*: when batches close, how often sinks poll, how failed batches back off and
 * when they become dead letters, and how many bytes of new events each sink may hold in memory (memoryBytes; 0 = the
 * sinks read every event back from the store).
 */
public record DeliverySettings(BatchPolicy batch, Duration pollInterval, int maxAttempts, Duration maxAge,
        Duration backoffMin, Duration backoffMax, long memoryBytes) {

    /** The same delivery settings with another sink's batch limits. */
    public DeliverySettings withBatch(BatchPolicy other) {
        return new DeliverySettings(other, pollInterval, maxAttempts, maxAge, backoffMin, backoffMax, memoryBytes);
    }

    /** A failing batch gives up after max-attempts, or once its oldest event waited max-age (0 = no age limit). */
    public boolean exhausted(int attempt, long oldestReceivedAt, long now) {
        return attempt >= maxAttempts || (!maxAge.isZero() && now - oldestReceivedAt >= maxAge.toMillis());
    }

    /** Exponential backoff with full jitter over the upper half: attempt 1 waits about backoffMin, then doubling. */
    public long backoffMillis(int attempt, double random) {
        double base = backoffMin.toMillis() * Math.pow(2, Math.max(0, attempt - 1));
        double capped = Math.min(base, backoffMax.toMillis());
        return (long) (capped / 2 + random * capped / 2);
    }
}
