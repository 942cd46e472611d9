package hookhub.edge;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a source's requests out of its routes while its route file is replaced. Stopping a Camel route that is
 * serving answered some requests with a bare 503, others with 404 (no route yet), and could leave one unanswered.
 * Instead the reload closes the gate, waits until the source's requests in flight are answered, swaps the routes,
 * and opens the gate; meanwhile the listener answers hookhub's 503 with Retry-After, which every vendor retries.
 * Only sources whose routes are loaded are counted, so unknown paths cannot grow this.
 */
public final class ReloadGate {

    /** One request's pass: refused while its source reloads; otherwise left when its response ends. */
    public static final class Ticket {
        private static final Ticket FREE = new Ticket(null, false);
        private final AtomicInteger inFlight;
        private final boolean refused;

        private Ticket(AtomicInteger inFlight, boolean refused) {
            this.inFlight = inFlight;
            this.refused = refused;
        }

        public boolean refused() {
            return refused;
        }

        public void leave() {
            if (inFlight != null && !refused) {
                inFlight.decrementAndGet();
            }
        }
    }

    private final Set<String> closed = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    /** Sources whose routes are loaded: only their requests are counted. */
    public void register(Collection<String> sources) {
        sources.forEach(s -> inFlight.computeIfAbsent(s, k -> new AtomicInteger()));
    }

    /** A request arrives for this path. */
    Ticket enter(String path) {
        String source = sourceOf(path);
        AtomicInteger n = source == null ? null : inFlight.get(source);
        if (n == null) {
            return Ticket.FREE; // not a loaded source: the router answers it (404 or the management paths)
        }
        n.incrementAndGet(); // counted before the check: a reload that closes now waits for this request
        if (closed.contains(source)) {
            n.decrementAndGet();
            return new Ticket(n, true);
        }
        return new Ticket(n, false);
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

    /** "/webhooks/acme/x" -> "acme"; null for any other path. */
    static String sourceOf(String path) {
        if (path == null || !path.startsWith("/webhooks/")) {
            return null;
        }
        int end = path.indexOf('/', "/webhooks/".length());
        String source = end < 0 ? path.substring("/webhooks/".length()) : path.substring("/webhooks/".length(), end);
        return source.isEmpty() ? null : source;
    }
}
