package hookhub.edge;

import hookhub.ops.HubMetrics;
import hookhub.record.SourceSpec;
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
            quarantine.keep(request, r.status(), r.code(), r.getMessage(), source,
                    redaction(exchange.getProperty(DecodeRequest.SPEC, SourceSpec.class)));
            metrics.requestDuration(source, "rejected", System.currentTimeMillis() - request.receivedAt());
        }
        metrics.rejected(source, r.code());
        if (r.status() == 401 || r.status() == 403) {
            metrics.authFailure(source, r.code());
        }
        log.info(source + "/" + r.code(), "Rejected a request for source {}: {} {}", source, r.status(), r.code());
        String[] extra = r.status() == 401 ? new String[] {"WWW-Authenticate", "Bearer"} : r.status() == 405 ? new String[] {"Allow", "GET, POST"} : new String[0];
        Replies.write(exchange, r.status(), Replies.rejection(r.code(), r.getMessage()), extra);
    }

    /** The source's own credential header, parameter and path segment, on top of the usual ones. */
    private static Quarantine.Redaction redaction(SourceSpec spec) {
        if (spec == null) {
            return Quarantine.Redaction.NONE;
        }
        java.util.Set<String> headers = new java.util.HashSet<>();
        if (spec.auth().tokenHeader() != null) {
            headers.add(spec.auth().tokenHeader());
        }
        if (spec.auth().hmac() != null) {
            headers.add(spec.auth().hmac().header());
        }
        java.util.Set<String> params = spec.auth().tokenQuery() == null ? java.util.Set.of() : java.util.Set.of(spec.auth().tokenQuery());
        return new Quarantine.Redaction(headers, params, spec.auth().tokenInPath() ? "/webhooks/" + spec.source() + "/" : null);
    }
}
