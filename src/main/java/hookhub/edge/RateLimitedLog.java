package hookhub.edge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * Logs at most a number of lines per minute for each kind of event, then one line saying how many were left out:
 * a misconfigured vendor or a flood must not drown the log. Counters (metrics) see every event.
 */
final class RateLimitedLog {

    private record Window(long minute, AtomicInteger count) {
    }

    private final Logger logger;
    private final int perMinute;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    RateLimitedLog(Logger logger, int perMinute) {
        this.logger = logger;
        this.perMinute = perMinute;
    }

    void info(String kind, String format, Object... args) {
        if (allowed(kind)) {
            logger.info(format, args);
        }
    }

    void warn(String kind, String format, Object... args) {
        if (allowed(kind)) {
            logger.warn(format, args);
        }
    }

    void error(String kind, String message, Throwable e) {
        if (allowed(kind)) {
            logger.error(message, e);
        }
    }

    private boolean allowed(String kind) {
        long minute = System.currentTimeMillis() / 60_000;
        Window w = windows.compute(kind, (k, old) -> old == null || old.minute() != minute ? new Window(minute, new AtomicInteger())
                : old);
        int n = w.count().incrementAndGet();
        if (n == perMinute + 1) {
            logger.info("More '{}' events this minute are not logged (see the metrics)", kind);
        }
        return n <= perMinute;
    }
}
