package hookhub.deliver;

import hookhub.store.DeadLetterCount;
import hookhub.store.DeliveryQueue;
import java.sql.SQLException;
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
    private final DeliveryQueue queue;

    public SinkHealthCheck(SinkStatus status, DeliveryQueue queue) {
        super("sink-" + status.sink());
        this.status = status;
        this.queue = queue;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("delivered", status.delivered());
        builder.detail("failures", status.failures());
        try {
            builder.detail("dead_letters", queue.deadLetters().stream().mapToLong(DeadLetterCount::count).sum());
        } catch (SQLException e) {
            builder.detail("dead_letters", "unknown: " + e.getMessage());
        }
        if (status.degraded()) {
            builder.message("degraded: " + status.lastError()).down();
        } else {
            builder.up();
        }
    }
}
