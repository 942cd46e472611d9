package hookhub.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hookhub.decode.FieldTypes;
import hookhub.decode.JsonBodyDecoder;
import hookhub.decode.TimestampFormat;
import hookhub.decode.Warnings;
import hookhub.event.Event;
import hookhub.security.PiiProtection;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Turns one decoded payload into hookhub's record: {@code id, source, received_at, event_time, payload, meta}, written
 * as one line of JSON.
 */
public final class RecordFactory {

    /** Request facts that go into meta, the same for every event of one request. */
    public record RequestMeta(String method, String path, String subPath, String contentType, String charset,
            String remoteAddress, ObjectNode query, Map<String, String> headers) {
    }

    private RecordFactory() {
    }

    public static Event build(SourceSpec spec, ObjectNode payload, RequestMeta meta, long receivedAt, List<String> requestWarnings,
            PiiProtection pii) {
        ObjectMapper mapper = JsonBodyDecoder.mapper();
        Warnings warnings = new Warnings();
        requestWarnings.forEach(warnings::add);

        OffsetDateTime eventTime = eventTime(spec, payload, warnings);
        FieldTypes.apply(payload, spec.types(), spec.timestamps(), warnings);
        // before the id: a dedup key over a personal field must not carry its clear value into the id
        pii.apply(payload, spec.hashFields(), spec.maskFields());
        String id = EventIdentity.idOf(payload, spec.dedupKey(), warnings);

        ObjectNode record = mapper.createObjectNode();
        record.put("id", id);
        record.put("source", spec.source());
        record.put("received_at", TimestampFormat.formatUtcMillis(receivedAt));
        if (eventTime != null) {
            record.put("event_time", TimestampFormat.format(eventTime));
        }
        record.set("payload", payload);
        ObjectNode m = record.putObject("meta");
        m.put("method", meta.method());
        m.put("path", meta.path());
        m.put("sub_path", meta.subPath());
        m.put("content_type", meta.contentType());
        m.put("charset", meta.charset());
        m.put("remote_addr", meta.remoteAddress());
        if (meta.query() != null && !meta.query().isEmpty()) {
            m.set("query", meta.query());
        }
        if (meta.headers() != null && !meta.headers().isEmpty()) {
            ObjectNode h = m.putObject("headers");
            meta.headers().forEach(h::put);
        }
        warnings.list().forEach(m.putArray("warnings")::add); // not valueToTree: that serializes and re-reads the list
        try {
            byte[] line = mapper.writeValueAsBytes(record);
            long partitionAt = eventTime != null ? eventTime.toInstant().toEpochMilli() : receivedAt;
            return new Event(spec.source(), id, receivedAt, partitionAt, line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("record could not be written", e);
        }
    }

    private static OffsetDateTime eventTime(SourceSpec spec, ObjectNode payload, Warnings warnings) {
        if (spec.eventTime() == null) {
            return null;
        }
        JsonNode v = Paths.get(payload, spec.eventTime());
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            return null;
        }
        OffsetDateTime t = spec.timestamps().parse(v.asText());
        if (t == null) {
            warnings.add("event time field '" + spec.eventTime() + "' does not match " + spec.timestamps()
                    + "; partitioned by received time");
        }
        return t;
    }
}
