package hookhub.deliver;

import hookhub.store.StoredEvent;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The lake and S3 write the same gzip NDJSON files (same partitions, same names) for the same batches, and new events
 * reach both sinks as the same batches: one compresses a file, the other takes it from here. gzip was a fifth of the
 * sinks' CPU and more than half of each of the two sinks' own.
 *
 * <p>Keyed by partition and file name, which name the events exactly (first and last seq of a partition of a
 * batch). Keeps the newest files up to a byte limit; a file asked for once by each sink is dropped.
 */
public final class CompressedParts {

    private final long maxBytes;
    private final int users;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private long bytes;

    private static final class Entry {
        final CompletableFuture<byte[]> gzip = new CompletableFuture<>();
        int taken;
        /** Bytes counted in while it is kept. */
        long counted;
    }

    /** @param users how many sinks write these files (an entry goes once each has taken it) */
    public CompressedParts(long maxBytes, int users) {
        this.maxBytes = maxBytes;
        this.users = users;
    }

    /** The partition's events as gzip NDJSON: compressed here, or by the other sink a moment ago. */
    public byte[] gzip(String partition, List<StoredEvent> events) throws IOException {
        if (users < 2) {
            return Partitions.gzipNdjson(events);
        }
        String key = partition + "/" + Partitions.fileName(events);
        Entry entry;
        boolean compress;
        synchronized (this) {
            entry = entries.get(key);
            compress = entry == null;
            if (compress) {
                entry = new Entry();
                entries.put(key, entry);
            }
            if (++entry.taken >= users) {
                entries.remove(key);
                bytes -= entry.counted;
            }
        }
        if (!compress) {
            try {
                return entry.gzip.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Partitions.gzipNdjson(events);
            } catch (ExecutionException e) {
                return Partitions.gzipNdjson(events); // the other sink failed on it: try for ourselves
            }
        }
        try {
            byte[] gz = Partitions.gzipNdjson(events);
            entry.gzip.complete(gz);
            remember(key, entry, gz.length);
            return gz;
        } catch (IOException | RuntimeException e) {
            entry.gzip.completeExceptionally(e);
            synchronized (this) {
                entries.remove(key, entry);
            }
            throw e;
        }
    }

    /** Counts a compressed file in, dropping the oldest files beyond the byte limit. */
    private synchronized void remember(String key, Entry entry, int size) {
        if (entries.get(key) != entry) {
            return; // already taken by every sink
        }
        entry.counted = size;
        bytes += size;
        var oldest = entries.values().iterator();
        while (bytes > maxBytes && oldest.hasNext()) {
            Entry e = oldest.next();
            if (e.gzip.isDone()) {
                bytes -= e.counted;
                oldest.remove();
            }
        }
    }
}
