package hookhub.ops;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A store background task run by a timer route (body clean-up, key purge), timed as
 * {@code hookhub_store_task_duration_seconds{task=...}}: when one of them gets slow (a deep backlog, many dead
 * letters), operators see it before it shows anywhere else.
 */
public final class StoreTask implements Processor {

    /** The task's work. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private final String name;
    private final HubMetrics metrics;
    private final Work work;

    public StoreTask(String name, HubMetrics metrics, Work work) {
        this.name = name;
        this.metrics = metrics;
        this.work = work;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        long started = System.nanoTime();
        try {
            work.run();
        } finally {
            metrics.storeTask(name, System.nanoTime() - started);
        }
    }
}
