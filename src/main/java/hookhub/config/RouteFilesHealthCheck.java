package hookhub.config;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import hookhub.ops.DiagnosticHealthCheck;

/**
 * {@code route-files} in /observe/health: DOWN while a route file's latest version could not be loaded (the previous
 * version, if any, keeps serving). Not a readiness check: every other source serves normally.
 */
final class RouteFilesHealthCheck extends DiagnosticHealthCheck {

    private final RouteFiles files;

    RouteFilesHealthCheck(RouteFiles files) {
        super("route-files");
        this.files = files;
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
