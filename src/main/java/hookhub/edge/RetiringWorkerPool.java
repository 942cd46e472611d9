package hookhub.edge;

import io.vertx.core.spi.ExecutorServiceFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x's worker pools, with threads that retire after a minute without work. Vert.x's own pool starts a new thread
 * for every task until it holds hookhub.http.worker-threads of them, and keeps them all for good. Camel gives the
 * management server a Vert.x (and so a pool) of its own, and health probes and metric scrapes grew it by a thread
 * each, to 256 idle threads within the first hours (a soak run counted two more threads a minute). A busy pool
 * keeps its threads, since none of them waits a minute for work.
 *
 * <p>Vert.x finds this class through {@code META-INF/services/io.vertx.core.spi.VertxServiceProvider}, for every
 * Vert.x instance in the process.
 */
public final class RetiringWorkerPool implements ExecutorServiceFactory {

    static final long IDLE_MILLIS = 60_000;

    private final long idleMillis;

    public RetiringWorkerPool() {
        this(IDLE_MILLIS);
    }

    RetiringWorkerPool(long idleMillis) {
        this.idleMillis = idleMillis;
    }

    @Override
    public ExecutorService createExecutor(ThreadFactory threadFactory, Integer concurrency, Integer maxConcurrency) {
        // as Vert.x's own (a fixed pool of maxConcurrency threads and an unbounded queue), but idle threads retire
        ThreadPoolExecutor pool = new ThreadPoolExecutor(maxConcurrency, maxConcurrency, idleMillis, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), threadFactory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
