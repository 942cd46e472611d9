package hookhub.store;

/** A stored event as a sink receives it: its sequence number, source, partition time and NDJSON line. */
public record StoredEvent(long seq, String source, long partitionAt, String line) {
}
