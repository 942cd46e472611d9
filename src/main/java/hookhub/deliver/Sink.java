package hookhub.deliver;

import hookhub.store.Batch;
import hookhub.store.BatchPolicy;
import java.util.Optional;

/**
 * Where delivered events go. A sink either delivers the whole batch (naming its output after the batch, so a
 * retried batch replaces what an earlier attempt left), reports per event what it could not deliver, or throws when
 * it delivered nothing.
 */
public interface Sink {

    /** The name used in the store, settings, metrics and logs: "lake", "s3", "firehose". */
    String name();

    DeliveryOutcome deliver(Batch batch) throws Exception;

    /** Batch limits of this sink's own; empty: the shared hookhub.batch.* limits. */
    default Optional<BatchPolicy> ownBatch() {
        return Optional.empty();
    }
}
