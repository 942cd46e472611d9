package hookhub.edge;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a source's requests out of its routes while its route file is replaced. Stopping a Camel route that is
 * serving answered some requests with a bare 503, others with 404 (no route yet), and could leave one unanswered.
 * Instead the reload closes the gate, waits until the source's requests in flight are answered, swaps the routes,
 * and opens the gate; meanwhile the edge answers hookhub's 503 with Retry-After, which every vendor retries.
 */
public final class ReloadGate {

    private final Set<String> closed = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    /** A request for the source arrives: true = it may go on, and must {@link #leave} when answered. */
    boolean enter(String source) {
        AtomicInteger n = inFlight.computeIfAbsent(source, s -> new AtomicInteger());
        n.incrementAndGet(); // counted before the check: a reload that closes now waits for this request
        if (closed.contains(source)) {
            n.decrementAndGet();
            return false;
        }
        return true;
    }

    void leave(String source) {
        inFlight.get(source).decrementAndGet();
    }

    /** Stops new requests for the sources and waits (up to the timeout) for those in flight; false on timeout. */
    public boolean close(Set<String> sources, long timeoutMs) throws InterruptedException {
        closed.addAll(sources);
        long deadline = System.currentTimeMillis() + timeoutMs;
        for (String source : sources) {
            AtomicInteger n = inFlight.get(source);
            while (n != null && n.get() > 0) {
                if (System.currentTimeMillis() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
        }
        return true;
    }

    public void open(Set<String> sources) {
        closed.removeAll(sources);
    }
}
