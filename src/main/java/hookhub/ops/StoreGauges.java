package hookhub.ops;

import hookhub.store.EventStore;
import hookhub.store.EventStore.SinkBacklog;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Every second: re-counts the store's backlog (which also feeds backpressure) and publishes it as gauges per sink,
 * with the group-commit totals as counters and the embedded store's file sizes. The count reads every waiting row; when it takes long (a deep backlog,
 * many dead letters) it runs less often, so that it never takes more than a tenth of one core.
 */
public final class StoreGauges implements Processor {

    private final EventStore store;
    private final HubMetrics metrics;
    private long nextCountAt = System.nanoTime(); // before this (nanoTime), the last count's cost says: skip

    public StoreGauges(EventStore store, HubMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
        metrics.functionCounter("hookhub.store.commits", "Store transactions committed (each one disk sync)", store,
                s -> s.stats().groupsCommitted());
        metrics.functionCounter("hookhub.store.committed.events", "Events written by those transactions", store,
                s -> s.stats().eventsCommitted());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        store.fileSizes().forEach((file, bytes) -> metrics.gauge("hookhub.store.file.bytes",
                "Size on disk of the embedded store's database file and write-ahead log", "file", file, bytes));
        long started = System.nanoTime();
        if (started - nextCountAt < 0) {
            return;
        }
        Map<String, SinkBacklog> backlog = store.refreshBacklog();
        long ended = System.nanoTime();
        nextCountAt = ended + 9 * (ended - started);
        metrics.storeTask("backlog", ended - started);
        long now = System.currentTimeMillis();
        for (Map.Entry<String, SinkBacklog> e : backlog.entrySet()) {
            SinkBacklog b = e.getValue();
            String sink = e.getKey();
            metrics.gauge("hookhub.store.backlog.events", "Stored events a sink has not confirmed yet", "sink", sink, b.events());
            metrics.gauge("hookhub.store.backlog.bytes", "Size of those events", "sink", sink, b.bytes());
            metrics.gauge("hookhub.store.oldest.undelivered.age.seconds", "Age of the oldest event a sink has not confirmed",
                    "sink", sink, b.events() == 0 ? 0 : (now - b.oldestReceivedAt()) / 1000);
            metrics.gauge("hookhub.store.dead.letters", "Events a sink gave up on, waiting for replay", "sink", sink, b.deadLetters());
        }
    }
}
