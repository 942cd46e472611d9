package hookhub.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.spi.PropertiesFunction;

/**
 * The {@code {{file:/run/secrets/name}}} placeholder: the trimmed content of a file, for secrets mounted by Docker,
 * Kubernetes or systemd credentials, so they need not sit in the environment.
 */
public final class FileSecretFunction implements PropertiesFunction {

    @Override
    public String getName() {
        return "file";
    }

    @Override
    public String apply(String remainder) {
        String path = remainder.trim();
        String fallback = null;
        int colon = path.indexOf(':');
        if (colon > 0) { // {{file:/path:default}}
            fallback = path.substring(colon + 1);
            path = path.substring(0, colon);
        }
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            if (fallback != null) {
                return fallback;
            }
            throw new IllegalArgumentException("secret file " + path + " cannot be read: " + e.getClass().getSimpleName());
        }
    }
}
