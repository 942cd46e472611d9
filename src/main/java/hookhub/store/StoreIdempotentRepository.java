package hookhub.store;

import hookhub.event.Event;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Camel's idempotent repository and hookhub's durable store in one: {@code add(exchange, key)} stores the exchange's
 * {@link Event} and its key in a single INSERT … ON CONFLICT DO NOTHING and returns only after the commit. Routes use
 * it through the standard {@code idempotentConsumer} EIP with {@code eager: true}, {@code removeOnFailure: false}
 * (once stored, an event is never forgotten because a later step failed) and {@code skipDuplicate: false} (so the
 * route can answer "duplicate").
 */
public class StoreIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private final EventStore store;

    public StoreIdempotentRepository(EventStore store) {
        this.store = store;
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        Event event = exchange.getMessage().getBody(Event.class);
        if (event == null) {
            throw new IllegalArgumentException("the idempotent consumer's body must be a hookhub Event");
        }
        if (!event.getKey().equals(key)) {
            throw new IllegalArgumentException("the idempotent key must be the event's key (ref: eventKey), got " + key);
        }
        return store.accept(event);
    }

    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("hookhub stores whole events: use add(exchange, key)");
    }

    @Override
    public boolean contains(String key) {
        int slash = key.indexOf('/');
        try {
            return store.contains(key.substring(0, slash), key.substring(slash + 1));
        } catch (SQLException e) {
            throw new StoreUnavailableException("store lookup failed", e);
        }
    }

    @Override
    public boolean remove(String key) {
        // Never forget a stored event: that would turn the vendor's retry into a second copy.
        return false;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the event store is not cleared through Camel");
    }
}
