package hookhub.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key for hashed personal data: hookhub.pii.hmac-key (from the environment or a secret file, through a
 * placeholder). When none is configured, a random key is created once in the data directory, so hashes stay stable
 * across restarts of this instance; several instances, or a rebuilt data directory, need the configured key.
 */
public final class PiiKey {

    private static final Logger LOG = LoggerFactory.getLogger(PiiKey.class);

    private PiiKey() {
    }

    public static byte[] resolve(String configured, Path dataDir) throws IOException {
        if (configured != null && !configured.isBlank()) {
            return configured.trim().getBytes(StandardCharsets.UTF_8);
        }
        Path file = dataDir.resolve("pii.key");
        if (!Files.exists(file)) {
            Files.createDirectories(dataDir);
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.writeString(file, HexFormat.of().formatHex(key));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            LOG.warn("No hookhub.pii.hmac-key configured: created a random one in {}. Set HOOKHUB_PII_HMAC_KEY so every "
                    + "instance hashes personal data the same way.", file);
        }
        return Files.readString(file).trim().getBytes(StandardCharsets.UTF_8);
    }
}
