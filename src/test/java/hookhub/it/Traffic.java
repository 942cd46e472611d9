package hookhub.it;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Sends many distinct 050 call reports from many threads, the way a busy vendor would, and remembers which ones the
 * hub acknowledged with 2xx. Failures (connection refused, 503) are counted, not thrown: a crash test expects them.
 */
public final class Traffic {

    public static String callId(int i) {
        return String.format("crash-%06d", i);
    }

    public static byte[] callReport(int i) {
        return ("call_id=" + callId(i) + "&vn=050799990001&caller=0101234" + String.format("%04d", i % 10000)
                + "&callee=0311234567&start_time=20251103101500&end_time=20251103101742&duration=156&result=ANSWER"
                + "&memo=%EA%B0%95%EB%82%A8%EC%A0%90+%EC%83%81%EB%8B%B4").getBytes(StandardCharsets.US_ASCII);
    }

    public final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    public final AtomicInteger failures = new AtomicInteger();
    public final AtomicInteger sent = new AtomicInteger();
    /** The first failure, for the assertion message. */
    public volatile String firstFailure;

    /** Sends events from..to-1 over `threads` threads, picking the hub for each event. */
    public Traffic send(int from, int to, int threads, IntFunction<HubClient> hubFor) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int i = from; i < to; i++) {
            int n = i;
            pool.execute(() -> {
                sent.incrementAndGet();
                try {
                    HubClient.Reply r = hubFor.apply(n).post("/webhooks/call050/crash",
                            "application/x-www-form-urlencoded; charset=UTF-8", callReport(n));
                    if (r.status() == 200) {
                        acknowledged.add(callId(n));
                    } else {
                        fail(r.status() + " " + r.body());
                    }
                } catch (AssertionError | RuntimeException e) {
                    fail(e + (e.getCause() == null ? "" : " <- " + e.getCause())); // the hub is down: the vendor would retry later
                }
            });
        }
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    private void fail(String why) {
        if (failures.incrementAndGet() == 1) {
            firstFailure = why;
        }
    }

    public static List<String> allIds(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(Traffic::callId).toList();
    }
}
