package hookhub.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;

/**
 * Typed access to hookhub.* properties. Every key has its default in hookhub-defaults.properties inside the jar;
 * ./application.properties, environment variables (HOOKHUB_HTTP_PORT for hookhub.http.port) and -D system
 * properties override it, all through Camel's properties component.
 */
public final class HubSettings {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);

    private final CamelContext context;

    public HubSettings(CamelContext context) {
        this.context = context;
    }

    public String string(String key) {
        return context.getPropertiesComponent().resolveProperty(key)
                .map(String::trim)
                .orElseThrow(() -> new IllegalArgumentException("missing setting " + key));
    }

    public int integer(String key) {
        try {
            return Integer.parseInt(string(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + string(key) + "'");
        }
    }

    public boolean bool(String key) {
        return Boolean.parseBoolean(string(key));
    }

    /** Sizes: 1048576, 512KiB, 1MiB, 5GB (K/M/G are powers of 1024). */
    public long bytes(String key) {
        return parseBytes(key, string(key));
    }

    /** Durations: 500ms, 10s, 5m, 72h, 3d; a bare number is seconds. */
    public Duration duration(String key) {
        return parseDuration(key, string(key));
    }

    static long parseBytes(String key, String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(key + " must be a size like 1048576, 512KiB or 1MiB, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit.charAt(0)) {
            case 'k' -> n * 1024;
            case 'm' -> n * 1024 * 1024;
            case 'g' -> n * 1024 * 1024 * 1024;
            default -> n;
        };
    }

    static Duration parseDuration(String key, String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(key + " must be a duration like 500ms, 10s, 5m or 72h, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
