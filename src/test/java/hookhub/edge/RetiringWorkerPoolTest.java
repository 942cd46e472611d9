package hookhub.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxServiceProvider;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Worker threads retire once idle, a busy pool keeps its size, and Vert.x picks the pool up by itself. */
class RetiringWorkerPoolTest {

    @Test
    void idleThreadsRetireAndTasksBeyondTheLimitQueue() throws Exception {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) new RetiringWorkerPool(200).createExecutor(Executors.defaultThreadFactory(), 4, 4);
        try {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(10);
            for (int i = 0; i < 10; i++) {
                pool.execute(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    done.countDown();
                });
            }
            assertEquals(4, pool.getPoolSize(), "no more threads than the limit");
            assertEquals(6, pool.getQueue().size(), "the rest wait their turn, as in Vert.x's own pool");
            release.countDown();
            assertTrue(done.await(5, TimeUnit.SECONDS), "every task ran");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (pool.getPoolSize() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, pool.getPoolSize(), "idle threads retired");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyVertxInTheProcessUsesIt() throws Exception {
        assertTrue(ServiceLoader.load(VertxServiceProvider.class).stream().anyMatch(p -> p.type() == RetiringWorkerPool.class),
                "registered in META-INF/services");
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(8));
        try {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 20; i++) {
                vertx.executeBlocking(() -> threads.add(Thread.currentThread().getName()), false)
                        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            assertTrue(threads.size() <= 8, "Vert.x's worker pool limit holds: " + threads);
            assertTrue(poolOf(vertx).allowsCoreThreadTimeOut(), "Vert.x's worker pool is a retiring one");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    private static ThreadPoolExecutor poolOf(Vertx vertx) {
        ExecutorService executor = ((io.vertx.core.impl.VertxInternal) vertx).getWorkerPool().executor();
        return (ThreadPoolExecutor) executor;
    }
}
