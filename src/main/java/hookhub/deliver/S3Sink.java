package hookhub.deliver;

import hookhub.store.Batch;
import hookhub.store.StoredEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;

/**
 * The data lake on Amazon S3 (or any S3-compatible store), through Camel's aws2-s3 producer: one gzip NDJSON object
 * per partition of a batch, keyed {@code <prefix>source=<s>/dt=<yyyy-MM-dd>/hour=<HH>/part-<first>-<last>.ndjson.gz}.
 * The key is a pure function of the rows, so a retried or re-claimed batch overwrites its own object.
 *
 * <p>The endpoint is created on the first delivery, not at start-up: aws2-s3 checks its bucket when the endpoint
 * starts, and an unreachable S3 or a missing bucket must never stop the hub from starting or accepting. A failed
 * start is a failed delivery like any other, retried with backoff while events wait in the store.
 */
public final class S3Sink implements Sink {

    private final ProducerTemplate producer;
    private final S3Settings settings;
    private final String uri;
    private final CompressedParts gzip;

    public S3Sink(ProducerTemplate producer, S3Settings settings, CompressedParts gzip) {
        this.producer = producer;
        this.settings = settings;
        this.uri = settings.endpointUri();
        this.gzip = gzip;
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public DeliveryOutcome deliver(Batch batch) throws Exception {
        for (Map.Entry<String, List<StoredEvent>> part : Partitions.of(batch.events()).entrySet()) {
            Map<String, Object> headers = new HashMap<>();
            headers.put(AWS2S3Constants.KEY, settings.prefix() + part.getKey() + "/" + Partitions.fileName(part.getValue()));
            headers.put(AWS2S3Constants.CONTENT_TYPE, "application/x-ndjson");
            headers.put(AWS2S3Constants.CONTENT_ENCODING, "gzip");
            // sendBodyAndHeaders throws when the upload failed: the whole batch is then retried under the same keys
            producer.sendBodyAndHeaders(uri, gzip.gzip(part.getKey(), part.getValue()), headers);
        }
        return DeliveryOutcome.all(batch);
    }
}
