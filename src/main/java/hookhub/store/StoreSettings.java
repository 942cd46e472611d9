package hookhub.store;

import java.time.Duration;

/**
 * Operator settings for the event store (hookhub.store.*, hookhub.dedup.window).
 *
 * @param url        JDBC URL: jdbc:sqlite:... (embedded default) or jdbc:postgresql://... (shared, scale-out)
 * @param user       database user (PostgreSQL); may be blank
 * @param password   database password (PostgreSQL); may be blank, never logged
 * @param sync       "full": fsync every group commit; "normal": survive a process kill but not a power loss
 * @param dedupWindow how long keys are kept after an event was received
 * @param maxBacklog undelivered events above which new events get 503
 * @param minFreeDiskBytes free bytes under the data directory below which new events get 503
 * @param commitTimeout how long a request waits for its group commit before it gets 503
 * @param maxGroup   most events committed in one transaction
 * @param walRestartBytes SQLite: size of the write-ahead log above which it is started over (see WalCheckpointer)
 */
public record StoreSettings(String url, String user, String password, String sync, Duration dedupWindow,
        long maxBacklog, long minFreeDiskBytes, Duration commitTimeout, int maxGroup, long walRestartBytes) {

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    public boolean fullSync() {
        return !"normal".equalsIgnoreCase(sync);
    }
}
