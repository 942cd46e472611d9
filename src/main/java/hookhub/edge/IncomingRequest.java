package hookhub.edge;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a vendor sent, as received: method, raw path and query (still percent-encoded), headers, body bytes and the
 * peer address. Decoding reads it; quarantine stores it when the request is rejected.
 */
public record IncomingRequest(String method, String path, String rawQuery, List<Map.Entry<String, String>> headers,
        String contentType, byte[] body, String remoteAddress, long receivedAt) {

    public static IncomingRequest of(HttpServerRequest request, byte[] body, long receivedAt) {
        MultiMap h = request.headers();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String contentType = null;
        for (Map.Entry<String, String> e : h.entries()) {
            if (HttpEdge.ORIGINAL_CONTENT_TYPE.equalsIgnoreCase(e.getKey())) {
                contentType = e.getValue();
            } else if (!"Content-Type".equalsIgnoreCase(e.getKey())) {
                headers.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        if (contentType == null && h.get("Content-Type") != null && !HttpEdge.HIDDEN_CONTENT_TYPE.equals(h.get("Content-Type"))) {
            contentType = h.get("Content-Type");
        }
        if (contentType != null) {
            headers.add(Map.entry("Content-Type", contentType));
        }
        String remote = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return new IncomingRequest(request.method().name(), request.path(), request.query(), List.copyOf(headers), contentType,
                body == null ? new byte[0] : body, remote, receivedAt);
    }

    public static IncomingRequest of(RoutingContext ctx) {
        byte[] body = ctx.body() != null && ctx.body().buffer() != null ? ctx.body().buffer().getBytes() : new byte[0];
        return of(ctx.request(), body, System.currentTimeMillis());
    }

    /** The first value of a header, matched case-insensitively, or null. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
