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
import hookhub.security.Cidr;
import hookhub.security.PiiProtection;
import hookhub.security.SourceAuth;
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

    /**
     * What decoding needs besides the request and the route: which peers are trusted proxies (for the client
     * address) and the key for hashed personal data.
     */
    public record Context(List<Cidr> trustedProxies, PiiProtection pii) {
    }

    public static List<Event> decode(IncomingRequest request, SourceSpec spec, Context context) {
        String subPath = subPath(request.path(), spec.source());
        String pathToken = null;
        String path = request.path();
        if (spec.auth().tokenInPath()) {
            // /webhooks/<source>/<token>/<vendor sub-path>: the token never reaches a record
            String rest = subPath.isEmpty() ? "" : subPath.substring(1);
            int slash = rest.indexOf('/');
            pathToken = slash < 0 ? rest : rest.substring(0, slash);
            subPath = slash < 0 ? "" : rest.substring(slash);
            path = PATH_PREFIX + spec.source() + (pathToken.isEmpty() ? "" : "/[token]") + subPath;
            pathToken = pathToken.isEmpty() ? null : java.net.URLDecoder.decode(pathToken, StandardCharsets.UTF_8);
        }
        if (!request.method().equals("GET") && !request.method().equals("POST")) {
            throw new RequestRejected(405, "method_not_allowed", request.method() + " is not accepted; send GET or POST");
        }
        String client = SourceAuth.clientAddress(request, context.trustedProxies());
        SourceAuth.check(request, client, pathToken, spec.auth(), System.currentTimeMillis());
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
            ObjectNode fields = withoutCredentials(form.fields(), spec);
            if (fields.isEmpty()) {
                throw new RequestRejected(400, "empty_body", "the request carries no fields besides its credentials: there is no event to record");
            }
            payloads.add(fields);
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
                        spec.charset()).fields(), spec);
            }
        }

        payloads.forEach(RequestDecoder::checkFieldNames);
        RequestMeta meta = new RequestMeta(request.method(), path, subPath, request.contentType(), charset, client, query,
                recordedHeaders(spec, request));
        List<Event> events = new ArrayList<>(payloads.size());
        for (ObjectNode payload : payloads) {
            events.add(RecordFactory.build(spec, payload, meta, request.receivedAt(), warnings.list(), context.pii()));
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
                boolean secret = Credentials.isSecretHeader(name) || name.equalsIgnoreCase(spec.auth().tokenHeader())
                        || spec.auth().hmac() != null && name.equalsIgnoreCase(spec.auth().hmac().header());
                h.put(name, secret ? "[redacted]" : v);
            }
        }
        return h;
    }

    /** The source's token parameter, and query parameters that look like credentials (token=…), never enter a record. */
    private static ObjectNode withoutCredentials(ObjectNode fields, SourceSpec spec) {
        for (Iterator<String> it = fields.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (Credentials.isSecretParameter(name) || name.equals(spec.auth().tokenQuery())) {
                it.remove();
            }
        }
        return fields;
    }

    /** Longest field name kept: longer ones are junk that downstream JSON readers (Jackson, Athena) refuse. */
    static final int MAX_FIELD_NAME = 1024;

    private static void checkFieldNames(com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> f = it.next();
                if (f.getKey().length() > MAX_FIELD_NAME) {
                    throw new RequestRejected(400, "field_name_too_long", "a field name is " + f.getKey().length()
                            + " characters long; the limit is " + MAX_FIELD_NAME);
                }
                checkFieldNames(f.getValue());
            }
        } else if (node.isArray()) {
            node.forEach(RequestDecoder::checkFieldNames);
        }
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
