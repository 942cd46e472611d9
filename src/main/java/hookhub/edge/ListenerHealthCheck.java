package hookhub.edge;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: DOWN until the public listener is bound (it opens after the route files have loaded, a moment after
 * the management port answers) and again once shutdown has closed it, so a load balancer never sends a request to a
 * hub that cannot take it.
 */
public final class ListenerHealthCheck extends AbstractHealthCheck {

    private final HubHttpServer server;

    public ListenerHealthCheck(HubHttpServer server) {
        super("hookhub", "http-listener");
        this.server = server;
    }

    @Override
    public boolean isLiveness() {
        return false; // starting or stopping is not a reason to restart
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (server.listening()) {
            builder.up();
        } else {
            builder.message("the public listener is not open (starting or stopping)").down();
        }
    }
}
