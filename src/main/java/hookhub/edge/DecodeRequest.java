package hookhub.edge;

import hookhub.record.SourceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The hookhub-source Kamelet's decoding step: takes the HTTP request (raw bytes, see {@link HttpEdge}) and the
 * route's declarations (exchange properties set by the Kamelet), and leaves the {@link RequestDecoder}'s
 * {@code List<Event>} as the body, one per event in the request.
 */
public final class DecodeRequest implements Processor {

    /** Exchange property holding the {@link IncomingRequest}, for quarantine. */
    public static final String REQUEST = "hookhub.request";
    /** Exchange properties the Kamelet sets from its parameters. */
    public static final String SOURCE = "hookhub.source";

    /** Parsed once per distinct set of parameters: routes keep theirs for their lifetime. */
    private final Map<List<String>, SourceSpec> specs = new ConcurrentHashMap<>();

    @Override
    public void process(Exchange exchange) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        if (http == null) {
            throw new IllegalStateException("hookhub-source must start from platform-http");
        }
        IncomingRequest request = IncomingRequest.of(http.getRequest(), http.getBody(byte[].class), System.currentTimeMillis());
        exchange.setProperty(REQUEST, request);
        exchange.getIn().setBody(RequestDecoder.decode(request, spec(exchange)));
    }

    /** The route's declarations, from the exchange properties hookhub.&lt;parameter&gt; the Kamelet sets. */
    private SourceSpec spec(Exchange ex) {
        List<String> values = new ArrayList<>(SourceSpec.PARAMETERS.size());
        for (String p : SourceSpec.PARAMETERS) {
            values.add(ex.getProperty("hookhub." + p, "", String.class));
        }
        return specs.computeIfAbsent(values, v -> {
            Map<String, String> params = new java.util.LinkedHashMap<>();
            for (int i = 0; i < v.size(); i++) {
                params.put(SourceSpec.PARAMETERS.get(i), v.get(i));
            }
            return SourceSpec.fromParameters(params);
        });
    }
}
