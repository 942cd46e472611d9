package hookhub.event;

import java.nio.charset.StandardCharsets;

/**
 * One decoded event on its way into the store: the finished NDJSON line plus the columns the store indexes.
 *
 * @param source      the route's source name (dedup keys are namespaced by it)
 * @param id          the stable event id (the same for every redelivery of the same event)
 * @param receivedAt  epoch millis when hookhub received the request
 * @param partitionAt epoch millis used for dt=/hour= partitions: event time when known, else receivedAt
 * @param line        the record as one line of JSON in UTF-8, without the newline (every sink sends bytes, so the
 *                    line is encoded once, by the request's own thread)
 */
public record Event(String source, String id, long receivedAt, long partitionAt, byte[] line) {

    /** The same from the line's text. */
    public Event(String source, String id, long receivedAt, long partitionAt, String line) {
        this(source, id, receivedAt, partitionAt, line.getBytes(StandardCharsets.UTF_8));
    }

    /** The idempotency key used by Camel's idempotentConsumer: unique per source. */
    public String getKey() {
        return source + "/" + id;
    }

    public String getId() {
        return id;
    }

    /** The line's size in UTF-8 bytes (backlog bytes, batch limits). */
    public int bytes() {
        return line.length;
    }

    /** The line as text. */
    public String lineText() {
        return new String(line, StandardCharsets.UTF_8);
    }
}
