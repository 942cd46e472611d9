package hookhub.edge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hookhub.decode.BodyRejected;
import hookhub.decode.CharsetLabels;
import hookhub.decode.DecodedForm;
import hookhub.decode.FormDecoder;
import hookhub.decode.JsonBodyDecoder;
import hookhub.decode.Warnings;
import hookhub.event.Event;
import hookhub.record.RecordFactory;
import hookhub.record.RecordFactory.RequestMeta;
import hookhub.record.SourceSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The hookhub-source Kamelet's decoding step: takes the HTTP request (raw bytes, see {@link HttpEdge}) and the
 * route's declarations (exchange properties set by the Kamelet) and leaves a {@code List<Event>} as the body, one
 * per event in the request. Anything it cannot decode is a {@link RequestRejected}.
 */
public final class DecodeRequest implements Processor {

    /** Exchange property holding the {@link IncomingRequest}, for quarantine. */
    public static final String REQUEST = "hookhub.request";
    /** Exchange properties the Kamelet sets from its parameters. */
    public static final String SOURCE = "hookhub.source";

    private static final String PATH_PREFIX = "/webhooks/";

    private final Map<List<String>, SourceSpec> specs = new ConcurrentHashMap<>();

    @Override
    public void process(Exchange exchange) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        if (http == null) {
            throw new IllegalStateException("hookhub-source must start from platform-http");
        }
        byte[] body = http.getBody(byte[].class);
        IncomingRequest request = IncomingRequest.of(http.getRequest(), body, System.currentTimeMillis());
        exchange.setProperty(REQUEST, request);
        SourceSpec spec = spec(exchange);

        String subPath = subPath(request.path(), spec.source());
        if (!request.method().equals("GET") && !request.method().equals("POST")) {
            throw new RequestRejected(405, "method_not_allowed", request.method() + " is not accepted; send GET or POST");
        }
        Warnings warnings = new Warnings();
        ContentType ct = ContentType.parse(request.contentType());
        List<ObjectNode> payloads = new ArrayList<>();
        String charset;
        ObjectNode query = null;

        boolean bodyEmpty = request.body().length == 0 || isBlank(request.body());
        if (request.method().equals("GET") || bodyEmpty) {
            if (request.rawQuery() == null || request.rawQuery().isEmpty()) {
                throw new RequestRejected(400, "empty_body", request.method().equals("GET")
                        ? "GET request has no query string: there is no event to record"
                        : "request body is empty: there is no event to record");
            }
            DecodedForm form = FormDecoder.decode(request.rawQuery().getBytes(StandardCharsets.ISO_8859_1), null, spec.charset());
            form.warnings().forEach(warnings::add);
            payloads.add(withoutCredentials(form.fields()));
            charset = form.charset();
        } else {
            if (ct.isJson() || (ct.isUnspecific() || ct.isForm()) && JsonBodyDecoder.looksLikeJson(request.body())) {
                if (ct.isForm()) {
                    warnings.add("body labelled " + ct.mediaType() + " is JSON; decoded as JSON");
                }
                try {
                    payloads.addAll(JsonBodyDecoder.decode(request.body(), ct.charset(), warnings));
                } catch (BodyRejected e) {
                    throw new RequestRejected(400, e.code(), e.getMessage());
                }
                charset = ct.charset() == null ? "UTF-8" : CharsetLabels.displayName(CharsetLabels.forLabel(ct.charset()));
            } else if (ct.isForm() || ct.isUnspecific()) {
                DecodedForm form = FormDecoder.decode(request.body(), ct.charset(), spec.charset());
                form.warnings().forEach(warnings::add);
                payloads.add(form.fields());
                charset = form.charset();
            } else {
                throw new RequestRejected(415, "unsupported_media_type", "Content-Type '" + ct.mediaType()
                        + "' is not supported; send application/json, application/x-www-form-urlencoded or a GET query string");
            }
            if (request.rawQuery() != null && !request.rawQuery().isEmpty()) {
                query = withoutCredentials(FormDecoder.decode(request.rawQuery().getBytes(StandardCharsets.ISO_8859_1), null,
                        spec.charset()).fields());
            }
        }

        RequestMeta meta = new RequestMeta(request.method(), request.path(), subPath, request.contentType(), charset,
                request.remoteAddress(), query, recordedHeaders(spec, request));
        List<Event> events = new ArrayList<>(payloads.size());
        for (ObjectNode payload : payloads) {
            events.add(RecordFactory.build(spec, payload, meta, request.receivedAt(), warnings.list()));
        }
        exchange.getIn().setBody(events);
    }

    private SourceSpec spec(Exchange ex) {
        List<String> key = new ArrayList<>(8);
        for (String p : new String[] {SOURCE, "hookhub.charset", "hookhub.dedupKey", "hookhub.eventTime",
                "hookhub.timestampPattern", "hookhub.timestampZone", "hookhub.types", "hookhub.recordHeaders"}) {
            key.add(ex.getProperty(p, "", String.class));
        }
        return specs.computeIfAbsent(key, k -> SourceSpec.parse(k.get(0), k.get(1), k.get(2), k.get(3), k.get(4), k.get(5),
                k.get(6), k.get(7)));
    }

    /** The vendor's own sub-path after /webhooks/{source}, e.g. "/vendor-b"; "" when none. */
    private static String subPath(String path, String source) {
        String base = PATH_PREFIX + source;
        String rest = path.startsWith(base) ? path.substring(base.length()) : path;
        if (!rest.isEmpty() && !rest.startsWith("/")) {
            throw new RequestRejected(404, "unknown_source", "no source is configured at " + path);
        }
        return rest;
    }

    private static Map<String, String> recordedHeaders(SourceSpec spec, IncomingRequest request) {
        if (spec.recordHeaders().isEmpty()) {
            return null;
        }
        Map<String, String> h = new LinkedHashMap<>();
        for (String name : spec.recordHeaders()) {
            String v = request.header(name);
            if (v != null) {
                h.put(name, Credentials.isSecretHeader(name) ? "[redacted]" : v);
            }
        }
        return h;
    }

    /** Query parameters that look like credentials (token=…) never enter a record. */
    private static ObjectNode withoutCredentials(ObjectNode fields) {
        for (Iterator<String> it = fields.fieldNames(); it.hasNext();) {
            if (Credentials.isSecretParameter(it.next())) {
                it.remove();
            }
        }
        return fields;
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
                return false;
            }
        }
        return true;
    }
}
