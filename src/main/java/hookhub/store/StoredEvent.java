package hookhub.store;

/** A stored event as a sink receives it: its sequence number, source, received and partition times, and NDJSON line. */
public record StoredEvent(long seq, String source, long receivedAt, long partitionAt, String line) {
}
