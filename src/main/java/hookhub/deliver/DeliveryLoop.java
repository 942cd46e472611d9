package hookhub.deliver;

import hookhub.ops.HubMetrics;
import hookhub.store.Batch;
import hookhub.store.DeliveryQueue;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's delivery, run by a timer route: claim due batches from the store, hand each to the sink, and mark it
 * delivered only after the sink confirmed. A failed batch keeps its rows and name and is retried with backoff; after
 * hookhub.delivery.max-attempts it becomes a dead letter for this sink only.
 */
public final class DeliveryLoop implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLoop.class);
    private static final int MAX_BATCHES_PER_TICK = 50;

    private final Sink sink;
    private final DeliveryQueue queue;
    private final DeliverySettings settings;
    private final SinkStatus status;
    private final HubMetrics metrics;
    /** After a failure the sink rests until its batch is due again, instead of failing a new batch every tick. */
    private volatile long pausedUntil;

    public DeliveryLoop(Sink sink, DeliveryQueue queue, DeliverySettings settings, SinkStatus status, HubMetrics metrics) {
        this.metrics = metrics;
        this.sink = sink;
        this.queue = queue;
        this.settings = settings;
        this.status = status;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (System.currentTimeMillis() < pausedUntil) {
            return;
        }
        for (int i = 0; i < MAX_BATCHES_PER_TICK; i++) {
            Optional<Batch> claimed = queue.claim(settings.batch(), System.currentTimeMillis());
            if (claimed.isEmpty()) {
                return;
            }
            if (!deliver(claimed.get())) {
                return; // the sink is failing: let the backoff run before trying more
            }
        }
    }

    private void recordDelivered(java.util.List<hookhub.store.StoredEvent> events, long started) {
        long now = System.currentTimeMillis();
        status.delivered(events.size(), now - started);
        metrics.delivered(sink.name(), events.size(), now - started);
        for (hookhub.store.StoredEvent e : events) {
            metrics.lag(sink.name(), now - e.receivedAt());
        }
    }

    /** The underlying error, not Camel's wrapper: "NoSuchBucketException: The specified bucket does not exist". */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t instanceof org.apache.camel.CamelExecutionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private boolean deliver(Batch batch) throws Exception {
        long started = System.currentTimeMillis();
        metrics.claimed(sink.name(), batch.fromMemory());
        DeliveryOutcome outcome;
        try {
            outcome = sink.deliver(batch);
        } catch (Exception e) {
            String error = describe(e);
            status.failed(error);
            if (settings.exhausted(batch.attempt(), batch.oldestReceivedAt(), System.currentTimeMillis())) {
                LOG.error("Sink {} gave up on batch {} ({} events) after {} attempts: {}", sink.name(), batch.name(),
                        batch.events().size(), batch.attempt(), error);
                queue.deadLetter(batch, error);
                metrics.deadLettered(sink.name(), batch.events().size());
            } else {
                long wait = settings.backoffMillis(batch.attempt(), ThreadLocalRandom.current().nextDouble());
                LOG.warn("Sink {} failed batch {} (attempt {}), retrying in {} ms: {}", sink.name(), batch.name(),
                        batch.attempt(), wait, error);
                queue.retryLater(batch, error, System.currentTimeMillis() + wait);
                metrics.retried(sink.name(), batch.events().size());
                pausedUntil = System.currentTimeMillis() + wait;
            }
            return false;
        }
        if (outcome.complete() && outcome.refused().isEmpty()) {
            queue.delivered(batch);
            recordDelivered(outcome.delivered(), started);
            LOG.debug("Sink {} delivered batch {} ({} events)", sink.name(), batch.name(), batch.events().size());
            return true;
        }
        // Partly delivered: confirm what the sink took, retry only the rest (never resend what it has).
        long wait = settings.backoffMillis(batch.attempt(), ThreadLocalRandom.current().nextDouble());
        queue.settle(batch, outcome.delivered(), outcome.failed(), outcome.failure(), outcome.refused(),
                System.currentTimeMillis() + wait, settings.maxAttempts());
        recordDelivered(outcome.delivered(), started);
        metrics.deadLettered(sink.name(), outcome.refused().size());
        metrics.retried(sink.name(), outcome.failed().size());
        outcome.refused().forEach((e, why) -> LOG.error("Sink {} refused event {} for good (dead letter): {}", sink.name(),
                e.seq(), why));
        if (!outcome.complete()) {
            status.failed(outcome.failure());
            LOG.warn("Sink {} took {} of {} events of batch {}; {} retry in {} ms: {}", sink.name(), outcome.delivered().size(),
                    batch.events().size(), batch.name(), outcome.failed().size(), wait, outcome.failure());
            pausedUntil = System.currentTimeMillis() + wait;
            return false;
        }
        return true;
    }
}
