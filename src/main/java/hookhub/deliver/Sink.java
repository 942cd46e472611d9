package hookhub.deliver;

import hookhub.store.Batch;

/**
 * Where delivered events go. A sink delivers a whole batch or throws; it names its output after the batch so a
 * retried batch replaces what an earlier attempt may have left.
 */
public interface Sink {

    /** The name used in the store, settings, metrics and logs: "lake", "s3", "firehose". */
    String name();

    void deliver(Batch batch) throws Exception;
}
