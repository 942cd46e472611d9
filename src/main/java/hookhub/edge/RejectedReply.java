package hookhub.edge;

import hookhub.ops.HubMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a {@link RequestRejected} with its 4xx JSON body, after keeping the raw request in quarantine. */
public final class RejectedReply implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RejectedReply.class);

    private final Quarantine quarantine;
    private final HubMetrics metrics;
    private final RateLimitedLog log = new RateLimitedLog(LOG, 20);

    public RejectedReply(Quarantine quarantine, HubMetrics metrics) {
        this.quarantine = quarantine;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        RequestRejected r = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RequestRejected.class);
        IncomingRequest request = exchange.getProperty(DecodeRequest.REQUEST, IncomingRequest.class);
        String source = exchange.getProperty(DecodeRequest.SOURCE, String.class);
        if (request != null) {
            quarantine.keep(request, r.status(), r.code(), r.getMessage(), source);
            metrics.requestDuration(source, "rejected", System.currentTimeMillis() - request.receivedAt());
        }
        metrics.rejected(source, r.code());
        log.info(source + "/" + r.code(), "Rejected a request for source {}: {} {}", source, r.status(), r.code());
        String[] extra = r.status() == 405 ? new String[] {"Allow", "GET, POST"} : new String[0];
        Replies.write(exchange, r.status(), Replies.rejection(r.code(), r.getMessage()), extra);
    }
}
