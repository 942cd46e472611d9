package hookhub.deliver;

import hookhub.store.Batch;
import hookhub.store.StoredEvent;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * The local data lake: gzip NDJSON files under {@code <data-dir>/lake/source=<s>/dt=<yyyy-MM-dd>/hour=<HH>/}, the same
 * layout as the S3 sink. A file appears only when complete (written to a hidden temp file, synced, then renamed),
 * and its name comes from the rows it holds, so a retried batch replaces its own file.
 */
public final class LakeSink implements Sink {

    private final Path root;
    private final CompressedParts gzip;

    public LakeSink(Path root, CompressedParts gzip) {
        this.root = root;
        this.gzip = gzip;
    }

    @Override
    public String name() {
        return "lake";
    }

    @Override
    public DeliveryOutcome deliver(Batch batch) throws IOException {
        for (Map.Entry<String, List<StoredEvent>> part : Partitions.of(batch.events()).entrySet()) {
            write(root.resolve(part.getKey()), part.getValue(), gzip.gzip(part.getKey(), part.getValue()));
        }
        return DeliveryOutcome.all(batch);
    }

    private static void write(Path dir, List<StoredEvent> events, byte[] gz) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(Partitions.fileName(events));
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(gz));
            channel.force(true); // the file is complete on disk before it gets its final name
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // the rename itself must be durable before the store hears "delivered"
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
