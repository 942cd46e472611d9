package hookhub.store;

import java.time.Duration;

/**
 * When a sink's batch closes: at maxRecords rows, at maxBytes, or when its oldest row is maxAge old, whichever first.
 *
 * @param lease how long a claimed batch belongs to the instance that claimed it before another may re-claim it
 */
public record BatchPolicy(int maxRecords, long maxBytes, Duration maxAge, Duration lease) {
}
