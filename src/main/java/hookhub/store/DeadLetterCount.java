package hookhub.store;

/** Dead letters of one sink and source: how many, when the oldest was received, and an example of their errors. */
public record DeadLetterCount(String sink, String source, String lastError, long count, long oldestReceivedAt) {
}
