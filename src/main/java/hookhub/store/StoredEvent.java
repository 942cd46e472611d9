package hookhub.store;

/**
 * A stored event as a sink receives it: its sequence number, the run it was stored in ({@link Segment#seg()}), source,
 * received and partition times, and NDJSON line as UTF-8 bytes (every sink sends bytes; reading them as bytes saves
 * decoding and re-encoding each body).
 */
public record StoredEvent(long seq, long seg, String source, long receivedAt, long partitionAt, byte[] line) {
}
