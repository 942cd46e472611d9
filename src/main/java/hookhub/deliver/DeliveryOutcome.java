package hookhub.deliver;

import hookhub.store.Batch;
import hookhub.store.StoredEvent;
import java.util.List;
import java.util.Map;

/**
 * What a sink did with a batch, event by event: confirmed, failed for now (to be retried on its own), or refused
 * for good (a dead letter with its reason, e.g. a record over Firehose's size limit). A sink that delivers all or
 * nothing (lake, S3) returns {@link #all} or throws.
 */
public record DeliveryOutcome(List<StoredEvent> delivered, List<StoredEvent> failed, String failure,
        Map<StoredEvent, String> refused) {

    public static DeliveryOutcome all(Batch batch) {
        return new DeliveryOutcome(batch.events(), List.of(), null, Map.of());
    }

    public boolean complete() {
        return failed.isEmpty();
    }
}
