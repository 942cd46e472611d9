package hookhub.edge;

import hookhub.ops.HubMetrics;
import hookhub.store.StoreOverloadedException;
import hookhub.store.StoreUnavailableException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers 503 with Retry-After when an event could not be stored (overload, store failure, anything unexpected):
 * the vendor keeps the event and resends it, so nothing is lost and nothing was acknowledged.
 */
public final class UnavailableReply implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(UnavailableReply.class);

    private final HubMetrics metrics;
    private final RateLimitedLog log = new RateLimitedLog(LOG, 20);

    public UnavailableReply(HubMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String code;
        String message;
        int retryAfter;
        if (e instanceof StoreOverloadedException o) {
            code = "overloaded";
            message = o.getMessage();
            retryAfter = o.retryAfterSeconds();
            log.warn("overloaded", "Refusing new events: {}", o.getMessage());
        } else if (e instanceof StoreUnavailableException u) {
            code = "store_unavailable";
            message = "the event could not be stored right now; retry later";
            retryAfter = 5;
            log.warn("store", "Store unavailable: {}", u.getMessage());
        } else {
            code = "internal_error";
            message = "the event could not be processed right now; retry later";
            retryAfter = 5;
            log.error("internal", "Unexpected failure while accepting an event", e);
        }
        String source = exchange.getProperty(DecodeRequest.SOURCE, "unknown", String.class);
        metrics.rejected(source, code);
        IncomingRequest request = exchange.getProperty(DecodeRequest.REQUEST, IncomingRequest.class);
        if (request != null) {
            metrics.requestDuration(source, "unavailable", System.currentTimeMillis() - request.receivedAt());
        }
        Replies.write(exchange, 503, Replies.unavailable(code, message), "Retry-After", Integer.toString(retryAfter));
    }
}
