package hookhub.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret files a route file reads through {@code {{file:/path}}}, with the version of each when the route file
 * was loaded. Secrets are read when a route loads, so a rotated secret (a Kubernetes or Docker secret mount updated
 * in place) must reload the route file that uses it: {@link #changed()} says when.
 */
final class SecretFiles {

    private static final Pattern REFERENCE = Pattern.compile("\\{\\{file:([^:}]+)");

    /** Path to "modified/size" as seen at load; "missing" for a file that was not there. */
    private final Map<Path, String> versions;

    private SecretFiles(Map<Path, String> versions) {
        this.versions = versions;
    }

    static SecretFiles of(String routeFileContent) {
        Map<Path, String> versions = new LinkedHashMap<>();
        Matcher m = REFERENCE.matcher(routeFileContent);
        while (m.find()) {
            Path path = Path.of(m.group(1).trim());
            versions.put(path, version(path));
        }
        return new SecretFiles(versions);
    }

    /** True when a secret file was replaced, edited, created or deleted since the route file was loaded. */
    boolean changed() {
        return versions.entrySet().stream().anyMatch(e -> !Objects.equals(e.getValue(), version(e.getKey())));
    }

    private static String version(Path path) {
        try {
            // follows symbolic links: a Kubernetes secret mount swaps the link's target when the secret changes
            return Files.getLastModifiedTime(path).toMillis() + "/" + Files.size(path);
        } catch (IOException missing) {
            return "missing";
        }
    }
}
