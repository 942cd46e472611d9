package hookhub.record;

import hookhub.decode.FieldType;
import hookhub.decode.FieldTypes;
import hookhub.decode.TimestampFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a vendor route file declares about its source (the hookhub-source Kamelet's parameters), parsed once.
 *
 * @param source        name: URL path /webhooks/{source}, record field "source", dedup namespace
 * @param charset       default charset for forms and query strings without a declared one (blank: detect)
 * @param dedupKey      payload fields (dotted paths) whose values identify an event; empty: hash of the payload
 * @param eventTime     payload field holding the event's time, or null
 * @param timestamps    how eventTime and fields typed "timestamp" are written
 * @param types         declared field types
 * @param recordHeaders request headers to copy into meta.headers (none by default)
 */
public record SourceSpec(String source, String charset, List<String> dedupKey, String eventTime, TimestampFormat timestamps,
        Map<String, FieldType> types, List<String> recordHeaders) {

    /** The hookhub-source Kamelet's parameters, in the order the Kamelet declares them. */
    public static final List<String> PARAMETERS = List.of("source", "charset", "dedupKey", "eventTime", "timestampPattern",
            "timestampZone", "types", "recordHeaders");

    /** From the Kamelet's parameters by name (missing ones take their defaults). */
    public static SourceSpec fromParameters(Map<String, String> p) {
        for (String name : p.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new IllegalArgumentException("unknown hookhub-source parameter '" + name + "'; known: " + PARAMETERS);
            }
        }
        return parse(p.get("source"), p.get("charset"), p.get("dedupKey"), p.get("eventTime"), p.get("timestampPattern"),
                p.get("timestampZone"), p.get("types"), p.get("recordHeaders"));
    }

    public static SourceSpec parse(String source, String charset, String dedupKey, String eventTime, String timestampPattern,
            String timestampZone, String types, String recordHeaders) {
        if (source == null || !source.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            throw new IllegalArgumentException("source must be 1-64 lower-case letters, digits, '-' or '_': '" + source + "'");
        }
        return new SourceSpec(source, blankToNull(charset), list(dedupKey), blankToNull(eventTime),
                TimestampFormat.of(blankToNull(timestampPattern), blankToNull(timestampZone)), FieldTypes.parse(types),
                list(recordHeaders));
    }

    private static List<String> list(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
