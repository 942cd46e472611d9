package hookhub.edge;

import hookhub.record.SourceSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;

/**
 * The hookhub-source Kamelet's decoding step: takes the HTTP request (raw bytes, see {@link HttpEdge}) and the
 * route's declarations, and leaves the {@link RequestDecoder}'s {@code List<Event>} as the body, one per event in
 * the request.
 *
 * <p>The declarations are the parameters the vendor file gave the Kamelet: Camel keeps them as the template
 * parameters of the route it created from the Kamelet, so they are read from there (once per route).
 */
public final class DecodeRequest implements Processor {

    /** Exchange property holding the {@link IncomingRequest}, for quarantine. */
    public static final String REQUEST = "hookhub.request";
    /** Exchange property holding the source name, for replies, metrics and quarantine. */
    public static final String SOURCE = "hookhub.source";
    /** Exchange property holding the {@link SourceSpec}. */
    public static final String SPEC = "hookhub.spec";

    private final RequestDecoder.Context context;
    private final Map<String, SourceSpec> specs = new ConcurrentHashMap<>();

    public DecodeRequest(RequestDecoder.Context context) {
        this.context = context;
    }

    @Override
    public void process(Exchange exchange) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        if (http == null) {
            throw new IllegalStateException("hookhub-source must start from platform-http");
        }
        IncomingRequest request = IncomingRequest.of(http.getRequest(), bodyBytes(http), System.currentTimeMillis());
        exchange.setProperty(REQUEST, request);
        SourceSpec spec = specs.computeIfAbsent(exchange.getFromRouteId(), id -> spec(exchange.getContext(), id));
        exchange.setProperty(SOURCE, spec.source());
        exchange.setProperty(SPEC, spec);
        exchange.getIn().setBody(RequestDecoder.decode(request, spec, context));
    }

    /** Camel's consumer hands over the Vert.x buffer; its type converters would copy it through an InputStream. */
    private static byte[] bodyBytes(HttpMessage http) {
        return http.getBody() instanceof io.vertx.core.buffer.Buffer buffer ? buffer.getBytes() : http.getBody(byte[].class);
    }

    /** True for the routes Camel built from the hookhub-source Kamelet (they hold the HTTP consumer). */
    public static boolean isSourceRoute(CamelContext context, String routeId) {
        RouteDefinition route = ((ModelCamelContext) context).getRouteDefinition(routeId);
        return route != null && route.getTemplateParameters() != null && route.getTemplateParameters().containsKey("source")
                && "hookhub-source".equals(String.valueOf(route.getTemplateParameters().get("templateId")));
    }

    /** The source name of a route built from the hookhub-source Kamelet; empty for any other route. */
    public static java.util.Optional<String> sourceName(CamelContext context, String routeId) {
        if (!isSourceRoute(context, routeId)) {
            return java.util.Optional.empty();
        }
        Object source = ((ModelCamelContext) context).getRouteDefinition(routeId).getTemplateParameters().get("source");
        return java.util.Optional.of(context.resolvePropertyPlaceholders(source.toString()));
    }

    /** The source's declarations: the template parameters of the route Camel built from the Kamelet. */
    public static SourceSpec spec(CamelContext context, String routeId) {
        RouteDefinition route = ((ModelCamelContext) context).getRouteDefinition(routeId);
        if (route == null || route.getTemplateParameters() == null) {
            throw new IllegalStateException("route " + routeId + " was not created from the hookhub-source Kamelet");
        }
        Map<String, String> params = new LinkedHashMap<>();
        route.getTemplateParameters().forEach((k, v) -> {
            if (SourceSpec.PARAMETERS.contains(k) && v != null) {
                params.put(k, context.resolvePropertyPlaceholders(v.toString()));
            }
        });
        return SourceSpec.fromParameters(params);
    }
}
