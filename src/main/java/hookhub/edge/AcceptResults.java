package hookhub.edge;

import hookhub.event.Event;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Collects, for each event of a request, its id and whether the idempotent consumer found it new or a duplicate.
 * The aggregated body is a {@code List<Result>}; a failed event fails the whole request (nothing is answered 2xx
 * that was not stored).
 */
public final class AcceptResults implements AggregationStrategy {

    public record Result(String id, boolean duplicate) {
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange result = oldExchange == null ? newExchange : oldExchange;
        @SuppressWarnings("unchecked")
        List<Result> results = result.getProperty("hookhub.results", List.class);
        if (results == null) {
            results = new ArrayList<>();
            result.setProperty("hookhub.results", results);
        }
        if (newExchange.getException() != null) {
            result.setException(newExchange.getException());
            return result;
        }
        Event event = newExchange.getMessage().getBody(Event.class);
        boolean duplicate = newExchange.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class);
        results.add(new Result(event.id(), duplicate));
        return result;
    }

    @Override
    public void onCompletion(Exchange exchange, Exchange inputExchange) {
        if (exchange != null && inputExchange != null) {
            inputExchange.setProperty("hookhub.results", exchange.getProperty("hookhub.results"));
        }
    }
}
