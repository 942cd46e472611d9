package hookhub.store;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the hub is ready while its store takes new events. DOWN when the latest commit failed or when
 * backpressure refuses events (backlog or disk limit); details show the group-commit counters and the backlog.
 */
public final class StoreHealthCheck extends AbstractHealthCheck {

    private final EventStore store;

    public StoreHealthCheck(EventStore store) {
        super("hookhub", "store");
        this.store = store;
    }

    @Override
    public boolean isLiveness() {
        return false; // a store outage is not fixed by restarting the hub
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        EventStore.Stats s = store.stats();
        builder.detail("engine", s.engine());
        builder.detail("backlog", s.backlog());
        builder.detail("groups_committed", s.groupsCommitted());
        builder.detail("events_committed", s.eventsCommitted());
        if (s.lastCommitError() != null) {
            builder.message("last commit failed: " + s.lastCommitError()).down();
        } else if (s.refusal() != null) {
            builder.message(s.refusal()).down();
        } else {
            builder.up();
        }
    }
}
