package hookhub.store;

import hookhub.event.Event;
import org.apache.camel.Exchange;
import org.apache.camel.support.ExpressionAdapter;

/**
 * The idempotent consumer's key: {@code <source>/<id>} of the {@link Event} in the body. Routes name it with Camel's
 * ref language ({@code ref: eventKey}); the equivalent {@code simple: ${body.key}} looked the getter up reflectively
 * on every event, which was a tenth of a request's worker time.
 */
public final class EventKeyExpression extends ExpressionAdapter {

    @Override
    public Object evaluate(Exchange exchange) {
        Event event = exchange.getMessage().getBody(Event.class);
        if (event == null) {
            throw new IllegalArgumentException("the idempotent consumer's body must be a hookhub Event");
        }
        return event.getKey();
    }
}
