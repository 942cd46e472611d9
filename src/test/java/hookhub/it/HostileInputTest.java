package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten thousand requests mutated from realistic ones (bit flips, truncations, wrong content types, huge keys, broken
 * UTF-8 and CP949, JSON nested 10,000 deep, 100,000 form pairs), half of them to a source that needs a token they do
 * not have. The hub must answer each with a 2xx or 4xx (a 503 only for overload), stay responsive with bounded
 * memory, and store nothing from an unauthenticated request.
 */
class HostileInputTest {

    static final int REQUESTS = 10_000;

    @TempDir
    Path work;

    @Test
    void tenThousandMutatedRequestsNeverBreakTheHub() throws Exception {
        try (TestHub hub = TestHub.withShippedRoutes(work)
                .route("guarded.yaml", "- route:\n    id: guarded\n    from:\n      uri: kamelet:hookhub-source\n      parameters:\n"
                        + "        source: guarded\n        tokens: \"only-the-real-TOKEN\"\n        tokenQuery: token\n"
                        + "      steps:\n        - to: direct:accept\n")
                .start()) {
            List<RawRequest> seeds = new ArrayList<>();
            for (String name : List.of("call050_answered_utf8.http", "call050_answered_euckr.http", "call050_answered_cp949_raw_undeclared.http",
                    "appsflyer_purchase_post.http", "appsflyer_purchase_get.http", "adbrix_purchase_post_form.http",
                    "generic_tricky_form.http", "generic_malformed.http", "branch_purchase_post.http", "adjust_purchase_get.http")) {
                seeds.add(RawRequest.resource(name));
            }
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            List<String> serverErrors = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            long heapBefore = usedHeapAfterGc();
            for (int i = 0; i < REQUESTS; i++) {
                int n = i;
                pool.execute(() -> {
                    Random random = new Random(n);
                    RawRequest r = mutate(seeds.get(n % seeds.size()), n, random);
                    try {
                        HubClient.Reply reply = hub.client().send(r);
                        statuses.computeIfAbsent(reply.status(), k -> new AtomicInteger()).incrementAndGet();
                        if (reply.status() >= 500 && reply.status() != 503) {
                            serverErrors.add(reply.status() + " for mutation " + (n % 12) + ": " + reply.body());
                        }
                    } catch (AssertionError | RuntimeException e) {
                        // a request the HTTP client itself refuses to send (e.g. an illegal header) never reached the hub
                        statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
                    }
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.MINUTES));

            assertTrue(serverErrors.isEmpty(), serverErrors.size() + " server errors, e.g. " + serverErrors.stream().limit(3).toList());
            int answered = statuses.entrySet().stream().filter(e -> e.getKey() > 0).mapToInt(e -> e.getValue().get()).sum();
            assertTrue(answered >= REQUESTS * 0.95, "statuses: " + statuses);
            assertTrue(statuses.containsKey(200) && statuses.containsKey(400) && statuses.containsKey(401), "statuses: " + statuses);

            // still responsive, still correct
            assertEquals(200, hub.management().get("/observe/health/ready").status());
            assertEquals("accepted", hub.client().get("/webhooks/generic?after=fuzz").json().get("status").asText());
            Lake.sleep(1500);
            assertTrue(hub.lake().records().stream().noneMatch(r -> r.get("source").asText().equals("guarded")),
                    "nothing from an unauthenticated request is stored");
            long heapAfter = usedHeapAfterGc();
            assertTrue(heapAfter < heapBefore + 256L * 1024 * 1024, "heap grew from " + heapBefore + " to " + heapAfter);
        }
    }

    /** One of a dozen mutation kinds, chosen by the request number; half go to the guarded source without its token. */
    static RawRequest mutate(RawRequest seed, int n, Random random) {
        String target = n % 2 == 0 ? seed.target().replaceFirst("^/webhooks/[^/?]+", "/webhooks/guarded") : seed.target();
        List<Map.Entry<String, String>> headers = new ArrayList<>(seed.headers());
        byte[] body = seed.body().clone();
        String method = seed.method();
        switch (n % 12) {
            case 0 -> flipBits(body, random);
            case 1 -> body = Arrays.copyOf(body, body.length == 0 ? 0 : random.nextInt(body.length));
            case 2 -> setHeader(headers, "Content-Type", List.of("application/xml", "multipart/form-data; boundary=x", "text/plain",
                    "application/json", "application/x-www-form-urlencoded; charset=bogus-42", "image/png").get(random.nextInt(6)));
            case 3 -> {
                method = "POST";
                body = ("k" + "x".repeat(100_000) + "=v&a=1").getBytes(StandardCharsets.US_ASCII);
                setHeader(headers, "Content-Type", "application/x-www-form-urlencoded");
            }
            case 4 -> {
                method = "POST";
                body = randomBytes(random, 2000);
                setHeader(headers, "Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
            }
            case 5 -> {
                method = "POST";
                body = ("memo=" + "똠샾뷁".repeat(50)).getBytes(Charset.forName("x-windows-949"));
                flipBits(body, random);
                setHeader(headers, "Content-Type", "application/x-www-form-urlencoded; charset=euc-kr");
            }
            case 6 -> {
                method = "POST";
                body = ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.US_ASCII);
                setHeader(headers, "Content-Type", "application/json");
            }
            case 7 -> {
                method = "POST";
                StringBuilder sb = new StringBuilder(700_000);
                for (int i = 0; i < 100_000; i++) {
                    sb.append("f").append(i % 997).append("=").append(i).append('&');
                }
                body = sb.toString().getBytes(StandardCharsets.US_ASCII);
                setHeader(headers, "Content-Type", "application/x-www-form-urlencoded");
            }
            case 8 -> {
                method = "POST";
                body = "{\"a\":".repeat(5000).getBytes(StandardCharsets.US_ASCII);
                setHeader(headers, "Content-Type", "application/json");
            }
            case 9 -> target = target + (target.contains("?") ? "&" : "?") + "%C0%AF=%C0%AF&q=%ED%A0%80%FF&%FE=%B0%A1";
            case 10 -> method = List.of("PUT", "DELETE", "PATCH", "OPTIONS").get(random.nextInt(4));
            default -> {
                flipBits(body, random);
                body = Arrays.copyOf(body, Math.max(0, body.length - random.nextInt(Math.max(1, body.length / 2 + 1))));
            }
        }
        return new RawRequest(method, target, headers, body);
    }

    private static void flipBits(byte[] b, Random random) {
        for (int i = 0; i < Math.max(1, b.length / 50); i++) {
            if (b.length > 0) {
                b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
            }
        }
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static void setHeader(List<Map.Entry<String, String>> headers, String name, String value) {
        headers.removeIf(e -> e.getKey().equalsIgnoreCase(name));
        headers.add(Map.entry(name, value));
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Lake.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
