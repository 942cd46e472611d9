package hookhub.edge;

import hookhub.ops.HubMetrics;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x handlers around every Camel route on the public port.
 *
 * <p>Why: Vert.x decodes form bodies as UTF-8 on its own, copies each field into a header and drops fields named
 * Camel…, and the raw bytes are lost. hookhub must percent-decode to bytes and pick the charset itself, so these
 * handlers read the body first (enforcing hookhub.http.max-body-bytes) and hide the form content type from the Camel
 * consumer; the original stays in {@link #ORIGINAL_CONTENT_TYPE}. They also answer what never reaches a route:
 * unknown paths (404) and oversized bodies (413), with hookhub's JSON error body.
 */
public final class HttpEdge {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEdge.class);

    /** Request header carrying the Content-Type the client sent (set here; a client-sent value is discarded). */
    public static final String ORIGINAL_CONTENT_TYPE = "X-Hookhub-Content-Type";
    /** What the Camel consumer sees instead, so it leaves the body as bytes. */
    public static final String HIDDEN_CONTENT_TYPE = "application/octet-stream";

    private final long maxBodyBytes;
    private final Quarantine quarantine;
    private final HubMetrics metrics;

    public HttpEdge(long maxBodyBytes, Quarantine quarantine, HubMetrics metrics) {
        this.maxBodyBytes = maxBodyBytes;
        this.quarantine = quarantine;
        this.metrics = metrics;
    }

    /** Camel's platform-http router: every platform-http route lives there (Camel's own server runs on port 0). */
    public static VertxPlatformHttpRouter camelRouter(CamelContext context) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(0));
        if (router == null) {
            throw new IllegalStateException("platform-http router not found (camel.server.port must be 0)");
        }
        return router;
    }

    public void install(VertxPlatformHttpRouter router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes).setHandleFileUploads(false);
        router.route().order(-1002).failureHandler(this::failed);
        router.route().order(-1001).handler(this::keepRawBody);
        router.route().order(-1000).handler(body); // Vert.x wants a body handler on a route of its own
        router.route().order(Integer.MAX_VALUE).handler(this::unknownPath);
    }

    private void keepRawBody(RoutingContext ctx) {
        if (ctx.get(ORIGINAL_CONTENT_TYPE) != null) {
            ctx.next(); // already done for this request (a re-route must not hide the original twice)
            return;
        }
        ctx.put(ORIGINAL_CONTENT_TYPE, Boolean.TRUE);
        var headers = ctx.request().headers();
        headers.remove(ORIGINAL_CONTENT_TYPE);
        String ct = headers.get(HttpHeaders.CONTENT_TYPE);
        if (ct != null) {
            headers.set(ORIGINAL_CONTENT_TYPE, ct);
            headers.set(HttpHeaders.CONTENT_TYPE, HIDDEN_CONTENT_TYPE);
        }
        ctx.next();
    }

    private void unknownPath(RoutingContext ctx) {
        String path = ctx.request().path();
        String message = "no source is configured at " + path;
        if (path.startsWith("/webhooks/")) {
            // a vendor pointed at a source that does not exist (yet): keep what it sent
            quarantine.keep(IncomingRequest.of(ctx), 404, "unknown_source", message, null);
        }
        metrics.rejected("unknown", "unknown_source");
        Replies.write(ctx.response(), 404, Replies.rejection("unknown_source", message));
    }

    private void failed(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            RequestRejected tooLarge = RequestRejected.bodyTooLarge(maxBodyBytes);
            IncomingRequest request = IncomingRequest.of(ctx.request(), new byte[0], System.currentTimeMillis());
            quarantine.keep(request, tooLarge.status(), tooLarge.code(), tooLarge.getMessage() + "; body not kept", null);
            metrics.rejected("unknown", tooLarge.code());
            Replies.write(ctx.response(), tooLarge.status(), Replies.rejection(tooLarge.code(), tooLarge.getMessage()),
                    "Connection", "close");
            return;
        }
        if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            Replies.write(ctx.response(), ctx.statusCode(), Replies.rejection("bad_request", "the request could not be read"));
            return;
        }
        LOG.warn("Request failed before reaching a route: {}", ctx.failure() == null ? ctx.statusCode() : ctx.failure().toString());
        Replies.write(ctx.response(), 503, Replies.unavailable("internal_error", "the request could not be processed; retry later"),
                "Retry-After", "5");
    }
}
