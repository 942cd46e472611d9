package hookhub.deliver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import hookhub.store.StoredEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The lake and S3 share each compressed file: compressed once, handed to both, then forgotten. */
class CompressedPartsTest {

    private static List<StoredEvent> events(long first, int n) {
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new StoredEvent(first + i, 0, "s", 0, 0, ("{\"n\":" + (first + i) + "}").getBytes(StandardCharsets.UTF_8)));
        }
        return events;
    }

    private static String gunzip(byte[] gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSecondSinkGetsTheFirstOnesFileAndThenItIsForgotten() throws Exception {
        CompressedParts parts = new CompressedParts(1 << 20, 2);
        List<StoredEvent> batch = events(10, 3);
        byte[] lake = parts.gzip("source=s/dt=2026-12-04/hour=10", batch);
        byte[] s3 = parts.gzip("source=s/dt=2026-12-04/hour=10", batch);
        assertSame(lake, s3, "compressed once");
        assertArrayEquals("{\"n\":10}\n{\"n\":11}\n{\"n\":12}\n".getBytes(StandardCharsets.UTF_8), gunzip(lake).getBytes(StandardCharsets.UTF_8));
        assertNotSame(lake, parts.gzip("source=s/dt=2026-12-04/hour=10", batch), "taken by both: a retry compresses again");
    }

    @Test
    void otherPartitionsAndBatchesAreTheirOwnAndOldFilesGoBeyondTheLimit() throws Exception {
        CompressedParts parts = new CompressedParts(1, 2); // room for nothing: every file is dropped at once
        byte[] a = parts.gzip("source=s/dt=2026-12-04/hour=10", events(1, 2));
        byte[] b = parts.gzip("source=s/dt=2026-12-04/hour=11", events(1, 2));
        assertNotSame(a, b);
        assertNotSame(a, parts.gzip("source=s/dt=2026-12-04/hour=10", events(1, 2)), "dropped for the byte limit");
        assertNotSame(a, parts.gzip("source=s/dt=2026-12-04/hour=10", events(1, 3)), "another batch");
    }

    @Test
    void oneSinkCompressesForItself() throws Exception {
        CompressedParts parts = new CompressedParts(1 << 20, 1);
        List<StoredEvent> batch = events(1, 2);
        assertNotSame(parts.gzip("p", batch), parts.gzip("p", batch));
    }
}
