package hookhub.config;

import java.nio.file.Path;

/**
 * One thing wrong with a route file, at the line of the YAML node it concerns (1-based; line 1 when it concerns the
 * whole file).
 */
public record RouteProblem(Path file, int line, String message) {

    /** "routes/x.yaml:12: message", the form editors and CI logs link to. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
