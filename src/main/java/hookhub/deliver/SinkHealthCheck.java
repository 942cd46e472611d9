package hookhub.deliver;

import hookhub.store.EventStore;
import hookhub.store.EventStore.SinkBacklog;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import hookhub.ops.DiagnosticHealthCheck;

/**
 * One sink's health, shown in /observe/health as {@code sink-<name>}: DOWN ("degraded") with its last error while
 * deliveries fail. It is neither a readiness nor a liveness check: during a sink outage events wait safely in the
 * store, so the hub stays ready and keeps accepting.
 */
public final class SinkHealthCheck extends DiagnosticHealthCheck {

    private final SinkStatus status;
    private final EventStore store;

    public SinkHealthCheck(SinkStatus status, EventStore store) {
        super("sink-" + status.sink());
        this.status = status;
        this.store = store;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("delivered", status.delivered());
        builder.detail("failures", status.failures());
        // the count of the last backlog refresh: a probe must not walk the dead letters (millions after an outage)
        builder.detail("dead_letters", store.backlog().getOrDefault(status.sink(), SinkBacklog.EMPTY).deadLetters());
        if (status.degraded()) {
            builder.message("degraded: " + status.lastError()).down();
        } else {
            builder.up();
        }
    }
}
