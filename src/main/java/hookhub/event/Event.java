package hookhub.event;

import java.nio.charset.StandardCharsets;

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

    public int bytes() {
        return line.getBytes(StandardCharsets.UTF_8).length;
    }
}
