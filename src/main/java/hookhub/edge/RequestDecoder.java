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

/**
 * Turns one HTTP request into the events it carries, by the route's declarations: GET query or POST JSON / form,
 * charset, typing, event time and id. Pure: no Camel, no store, so the {@code try} command runs exactly this.
 * Anything it cannot decode is a {@link RequestRejected}.
 */
public final class RequestDecoder {

    private static final String PATH_PREFIX = "/webhooks/";

    private RequestDecoder() {
    }

    public static List<Event> decode(IncomingRequest request, SourceSpec spec) {
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
        return events;
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
