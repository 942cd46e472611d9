package hookhub.store;

/** Dead letters of one sink and source that share a last error, and when the oldest of them was received. */
public record DeadLetterCount(String sink, String source, String lastError, long count, long oldestReceivedAt) {
}
