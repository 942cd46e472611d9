package hookhub.deliver;

import java.util.concurrent.atomic.AtomicLong;

/** What health checks and metrics need to know about one sink: delivered count, last success, last error. */
public final class SinkStatus {

    private final String sink;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile long lastSuccessAt;
    private volatile long lastFailureAt;
    private volatile String lastError;

    public SinkStatus(String sink) {
        this.sink = sink;
    }

    void delivered(int events, long millis) {
        delivered.addAndGet(events);
        lastSuccessAt = System.currentTimeMillis();
    }

    void failed(String error) {
        failures.incrementAndGet();
        lastFailureAt = System.currentTimeMillis();
        lastError = error;
    }

    public String sink() {
        return sink;
    }

    public long delivered() {
        return delivered.get();
    }

    public long failures() {
        return failures.get();
    }

    /** Degraded while the latest attempt failed (the events wait safely in the store). */
    public boolean degraded() {
        return lastFailureAt > lastSuccessAt;
    }

    public String lastError() {
        return lastError;
    }
}
