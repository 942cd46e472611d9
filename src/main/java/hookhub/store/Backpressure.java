package hookhub.store;

import java.nio.file.Path;

/**
 * Refuses new events before the hub could fail to store them: when the undelivered backlog passes
 * hookhub.store.max-backlog or free disk falls under hookhub.store.min-free-disk. Nothing is accepted that cannot
 * be stored; the vendor gets 503 with Retry-After and the hub recovers by itself as the backlog drains.
 */
final class Backpressure {

    private static final long DISK_CHECK_INTERVAL_MS = 1000;

    private final StoreSettings settings;
    private final Path dataDir;
    private volatile long backlog;
    private volatile long freeDisk = Long.MAX_VALUE;
    private volatile long diskCheckedAt;

    Backpressure(StoreSettings settings, Path dataDir) {
        this.settings = settings;
        this.dataDir = dataDir;
    }

    void backlog(long undelivered) {
        this.backlog = undelivered;
    }

    long backlog() {
        return backlog;
    }

    /** Why new events are refused right now, or null when they are taken. */
    String refusal() {
        try {
            check();
            return null;
        } catch (StoreOverloadedException e) {
            return e.getMessage();
        }
    }

    void check() {
        if (settings.maxBacklog() > 0 && backlog >= settings.maxBacklog()) {
            throw new StoreOverloadedException("undelivered backlog of " + backlog + " events reached hookhub.store.max-backlog ("
                    + settings.maxBacklog() + ")", 30);
        }
        if (settings.minFreeDiskBytes() > 0 && freeDisk() < settings.minFreeDiskBytes()) {
            throw new StoreOverloadedException("free disk under " + dataDir + " fell below hookhub.store.min-free-disk", 60);
        }
    }

    private long freeDisk() {
        long now = System.currentTimeMillis();
        if (now - diskCheckedAt > DISK_CHECK_INTERVAL_MS) {
            freeDisk = dataDir.toFile().getUsableSpace();
            diskCheckedAt = now;
        }
        return freeDisk;
    }
}
