package hookhub.config;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code route-files} in /observe/health: DOWN while a route file's latest version could not be loaded (the previous
 * version, if any, keeps serving). Not a readiness check: every other source serves normally.
 */
final class RouteFilesHealthCheck extends AbstractHealthCheck {

    private final RouteFiles files;

    RouteFilesHealthCheck(RouteFiles files) {
        super("hookhub", "route-files");
        this.files = files;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, String> problems = files.problems();
        problems.forEach(builder::detail);
        if (problems.isEmpty()) {
            builder.up();
        } else {
            builder.message("route files not loaded: " + problems.keySet()).down();
        }
    }
}
