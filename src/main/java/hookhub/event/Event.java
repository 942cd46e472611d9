package hookhub.event;


/**
 * One decoded event on its way into the store: the finished NDJSON line plus the columns the store indexes.
 *
 * @param source      the route's source name (dedup keys are namespaced by it)
 * @param id          the stable event id (the same for every redelivery of the same event)
 * @param receivedAt  epoch millis when hookhub received the request
 * @param partitionAt epoch millis used for dt=/hour= partitions: event time when known, else receivedAt
 * @param line        the record as one line of JSON, without the newline
 */
public record Event(String source, String id, long receivedAt, long partitionAt, String line) {

    /** The idempotency key used by Camel's idempotentConsumer: unique per source. */
    public String getKey() {
        return source + "/" + id;
    }

    public String getId() {
        return id;
    }

    /** The line's size in UTF-8, counted without encoding it (the store needs the size, the driver encodes). */
    public int bytes() {
        int n = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a surrogate pair is 4 bytes
        }
        return n;
    }
}
