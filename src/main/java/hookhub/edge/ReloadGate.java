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

    private static final String PATH_PREFIX = "/webhooks/";

    /**
     * One request's pass through the gate. Each loaded source has two, made once (no allocation per request): the
     * one that lets a request in (left when its response ends) and the one that refuses it while the source reloads.
     */
    public static final class Ticket {
        private static final Ticket FREE = new Ticket(null, null, false);
        private final String source;
        private final AtomicInteger inFlight;
        private final boolean refused;

        private Ticket(String source, AtomicInteger inFlight, boolean refused) {
            this.source = source;
            this.inFlight = inFlight;
            this.refused = refused;
        }

        public boolean refused() {
            return refused;
        }

        public String source() {
            return source;
        }

        public void leave() {
            if (inFlight != null && !refused) {
                inFlight.decrementAndGet();
            }
        }
    }

    private record Passes(Ticket in, Ticket refused) {
    }

    private final Set<String> closed = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Passes> sources = new ConcurrentHashMap<>();

    /** Sources whose routes are loaded: only their requests are counted. */
    public void register(Collection<String> loaded) {
        for (String source : loaded) {
            sources.computeIfAbsent(source, s -> {
                AtomicInteger n = new AtomicInteger();
                return new Passes(new Ticket(s, n, false), new Ticket(s, n, true));
            });
        }
    }

    /** A request arrives for this path. */
    Ticket enter(String path) {
        String source = sourceOf(path);
        Passes passes = source == null ? null : sources.get(source);
        if (passes == null) {
            return Ticket.FREE; // not a loaded source: the router answers it (404 or the management paths)
        }
        passes.in().inFlight.incrementAndGet(); // counted before the check: a reload that closes now waits for it
        if (closed.contains(source)) {
            passes.in().inFlight.decrementAndGet();
            return passes.refused();
        }
        return passes.in();
    }

    /** Stops new requests for the sources and waits (up to the timeout) for those in flight; false on timeout. */
    public boolean close(Set<String> reloading, long timeoutMs) throws InterruptedException {
        closed.addAll(reloading);
        long deadline = System.currentTimeMillis() + timeoutMs;
        for (String source : reloading) {
            Passes passes = sources.get(source);
            while (passes != null && passes.in().inFlight.get() > 0) {
                if (System.currentTimeMillis() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
        }
        return true;
    }

    public void open(Set<String> reloaded) {
        closed.removeAll(reloaded);
    }

    /** "/webhooks/acme/x" -> "acme"; null for any other path. */
    private static String sourceOf(String path) {
        if (path == null || !path.startsWith(PATH_PREFIX)) {
            return null;
        }
        int end = path.indexOf('/', PATH_PREFIX.length());
        String source = path.substring(PATH_PREFIX.length(), end < 0 ? path.length() : end);
        return source.isEmpty() ? null : source;
    }
}
