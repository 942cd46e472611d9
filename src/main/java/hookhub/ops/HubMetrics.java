package hookhub.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * hookhub's own metrics, in the Prometheus registry Camel serves at /observe/metrics on the management port. Names
 * follow Prometheus conventions once exported ({@code hookhub_events_accepted_total}, base units: seconds, bytes).
 * Tags stay low-cardinality: source and sink names, rejection codes.
 */
public final class HubMetrics {

    private final PrometheusMeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    /** Meters by name and tags: building and registering one per request or per event cost ~1 % of the hub's CPU. */
    private final Map<String, Object> meters = new ConcurrentHashMap<>();
    private final SourceActivity activity = new SourceActivity();

    /** Uses the registry Camel's metrics service serves, creating (and binding) it when Camel has none yet. */
    public HubMetrics(org.apache.camel.spi.Registry camelRegistry) {
        PrometheusMeterRegistry existing = camelRegistry.lookupByNameAndType(
                org.apache.camel.component.micrometer.MicrometerConstants.METRICS_REGISTRY_NAME, PrometheusMeterRegistry.class);
        if (existing == null) {
            existing = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            camelRegistry.bind(org.apache.camel.component.micrometer.MicrometerConstants.METRICS_REGISTRY_NAME, existing);
        }
        this.registry = existing;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Per-source figures for the status page, kept alongside the counters. */
    public SourceActivity activity() {
        return activity;
    }

    /** One answered request's events: how many were new and how many duplicates. */
    public void answered(String source, int accepted, int duplicates) {
        accepted(source, accepted);
        duplicates(source, duplicates);
        activity.accepted(source, accepted, duplicates);
    }

    private void accepted(String source, int events) {
        meter("accepted|" + source, () -> Counter.builder("hookhub.events.accepted").description("Events stored for the first time")
                .tag("source", source).register(registry)).increment(events);
    }

    private void duplicates(String source, int events) {
        meter("duplicate|" + source, () -> Counter.builder("hookhub.events.duplicate")
                .description("Redeliveries of events already stored (answered 200, stored nowhere)").tag("source", source).register(registry))
                .increment(events);
    }

    public void rejected(String source, String reason) {
        meter("rejected|" + source + "|" + reason, () -> Counter.builder("hookhub.requests.rejected")
                .description("Requests refused, by reason (4xx, and 503 overload)").tag("source", source).tag("reason", reason)
                .register(registry)).increment();
        activity.rejected(source, reason);
    }

    public void authFailure(String source, String reason) {
        meter("auth|" + source + "|" + reason, () -> Counter.builder("hookhub.auth.failures")
                .description("Requests refused for a missing or bad credential (401) or address (403)").tag("source", source)
                .tag("reason", reason).register(registry)).increment();
    }

    /** From receiving a request to its reply, by outcome (accepted, duplicate, rejected, unavailable). */
    public void requestDuration(String source, String outcome, long millis) {
        meter("request|" + source + "|" + outcome, () -> Timer.builder("hookhub.request.duration")
                .description("Time from receiving a request to answering it").tag("source", source).tag("outcome", outcome)
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100))
                .register(registry)).record(millis, TimeUnit.MILLISECONDS);
    }

    public void delivered(String sink, int events, long batchMillis) {
        meter("delivered|" + sink, () -> Counter.builder("hookhub.sink.delivered.events").description("Events a sink confirmed")
                .tag("sink", sink).register(registry)).increment(events);
        meter("batch|" + sink, () -> Timer.builder("hookhub.sink.batch.duration").description("Time a sink took to deliver one batch")
                .tag("sink", sink).publishPercentileHistogram().register(registry)).record(batchMillis, TimeUnit.MILLISECONDS);
    }

    /** A batch a sink claimed: from the group commit's hand-off in memory, or read back from the store. */
    public void claimed(String sink, boolean fromMemory) {
        String from = fromMemory ? "memory" : "store";
        meter("claimed|" + sink + "|" + from, () -> Counter.builder("hookhub.sink.batches")
                .description("Batches a sink claimed, by where their events came from: memory (handed over by the group commit)"
                        + " or store (read back: retries, restarts, rows written while memory was full)")
                .tag("sink", sink).tag("from", from).register(registry)).increment();
    }

    /** End-to-end lag of one delivered event: from being received to its sink's confirmation. */
    public void lag(String sink, long millis) {
        meter("lag|" + sink, () -> DistributionSummary.builder("hookhub.sink.lag.seconds")
                .description("Time from receiving an event to its sink confirming it").baseUnit("seconds").tag("sink", sink)
                .publishPercentileHistogram().register(registry)).record(millis / 1000.0);
    }

    public void retried(String sink, int events) {
        meter("retried|" + sink, () -> Counter.builder("hookhub.sink.retried.events")
                .description("Events whose delivery failed and will be retried").tag("sink", sink).register(registry)).increment(events);
    }

    public void deadLettered(String sink, int events) {
        meter("dead|" + sink, () -> Counter.builder("hookhub.sink.dead.lettered.events")
                .description("Events a sink gave up on (kept in the store, see replay)").tag("sink", sink).register(registry))
                .increment(events);
    }

    /** One run of a store background task: backlog count, body clean-up, key purge. */
    public void storeTask(String task, long nanos) {
        meter("task|" + task, () -> Timer.builder("hookhub.store.task.duration")
                .description("Time one run of a store background task took (backlog, bodies, retention)").tag("task", task)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    @SuppressWarnings("unchecked")
    private <M> M meter(String key, java.util.function.Supplier<M> register) {
        Object m = meters.get(key);
        return m != null ? (M) m : (M) meters.computeIfAbsent(key, k -> register.get());
    }

    /** A gauge whose value is set from outside (store statistics refreshed every second). */
    public void gauge(String name, String description, String tagKey, String tagValue, long value) {
        gauges.computeIfAbsent(name + "|" + tagValue, k -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder(name, holder, AtomicLong::doubleValue).description(description).tag(tagKey, tagValue).register(registry);
            return holder;
        }).set(value);
    }

    /**
     * A counter that mirrors a monotonic total kept by an object (the store's commit counters). Micrometer holds the
     * object weakly, so it must be one that lives as long as the hub, never a lambda.
     */
    public <T> void functionCounter(String name, String description, T owner, java.util.function.ToDoubleFunction<T> total) {
        io.micrometer.core.instrument.FunctionCounter.builder(name, owner, total).description(description).register(registry);
    }
}
