package hookhub.ops;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check shown in /observe/health that is neither a readiness nor a liveness check: DOWN there means "degraded"
 * (a sink outage, a route file not loaded) while the hub keeps serving and stays ready.
 */
public abstract class DiagnosticHealthCheck extends AbstractHealthCheck {

    protected DiagnosticHealthCheck(String id) {
        super("hookhub", id);
    }

    @Override
    public final boolean isReadiness() {
        return false;
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }
}
