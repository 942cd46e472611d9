package hookhub.deliver;

import hookhub.store.StoredEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Hive-style partitions shared by the lake and S3: {@code source=<s>/dt=<yyyy-MM-dd>/hour=<HH>} in UTC, from the
 * event time when the route knows it, else the received time; and deterministic object names.
 */
public final class Partitions {

    private static final DateTimeFormatter DT_HOUR = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

    private Partitions() {
    }

    /** Groups a batch's events by partition path, keeping sequence order within each. */
    public static Map<String, List<StoredEvent>> of(List<StoredEvent> events) {
        Map<String, List<StoredEvent>> parts = new TreeMap<>();
        for (StoredEvent e : events) {
            String key = "source=" + e.source() + "/" + DT_HOUR.format(Instant.ofEpochMilli(e.partitionAt()));
            parts.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        }
        return parts;
    }

    /** The events as gzip-compressed NDJSON, one record per line. */
    public static byte[] gzipNdjson(List<StoredEvent> events) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 64 * 1024)) {
            for (StoredEvent e : events) {
                gz.write(e.line());
                gz.write('\n');
            }
        }
        return bytes.toByteArray();
    }

    /** A name that is a pure function of the rows: first and last sequence number of the group. */
    public static String fileName(List<StoredEvent> events) {
        return String.format("part-%012d-%012d.ndjson.gz", events.get(0).seq(), events.get(events.size() - 1).seq());
    }
}
