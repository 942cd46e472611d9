package hookhub.edge;

import hookhub.ops.HubMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.KeyStoreOptionsBase;
import io.vertx.ext.web.Router;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * hookhub's public HTTP(S) listener, in front of Camel's platform-http router.
 *
 * <p>Why not Camel's own server: its Vert.x server options cannot enforce client certificates (camel.ssl
 * client-authentication is ignored), bound request lines and headers with a JSON answer, cap connections or time
 * out slow requests. Camel's server still runs, on an ephemeral loopback port, and its router (where every
 * platform-http route lives) handles the requests this server accepts.
 */
public final class HubHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(HubHttpServer.class);

    private final HttpSettings settings;
    private final HubMetrics metrics;
    private final ReloadGate gate;
    private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
    private final Set<HttpConnection> overCap = ConcurrentHashMap.newKeySet();
    private final List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Vertx vertx;
    private volatile boolean listening;

    public HubHttpServer(HttpSettings settings, HubMetrics metrics, ReloadGate gate) {
        this.settings = settings;
        this.metrics = metrics;
        this.gate = gate;
    }

    public void start(Vertx vertx, Router router) {
        this.vertx = vertx;
        HttpServerOptions options = new HttpServerOptions()
                .setHost(settings.host()).setPort(settings.port())
                .setMaxInitialLineLength(settings.maxRequestLine())
                .setMaxHeaderSize(settings.maxHeaderBytes())
                .setIdleTimeout((int) settings.idleTimeout().toSeconds())
                .setHttp2ClearTextEnabled(false) // no h2c upgrade: webhooks are HTTP/1.1
                .setCompressionSupported(false);
        configureTls(options);
        // One server per core, all on the same port: Vert.x shares the socket and spreads connections over their
        // event loops (one server would read every connection on a single event-loop thread).
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < instances; i++) {
            if (i > 0 && settings.port() == 0) {
                options.setPort(servers.get(0).actualPort()); // port 0: the others join the port the first one got
            }
            servers.add(listen(options, router));
        }
        listening = true;
        LOG.info("HTTP{} listening on {}:{}{}", settings.tls().enabled() ? "S" : "", settings.host(), servers.get(0).actualPort(),
                settings.tls().enabled() && "require".equals(settings.tls().clientAuth()) ? " (client certificates required)" : "");
    }

    private HttpServer listen(HttpServerOptions options, Router router) {
        HttpServer server = vertx.createHttpServer(options)
                .connectionHandler(this::connected)
                .invalidRequestHandler(this::invalid)
                .requestHandler(request -> handle(request, router));
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        server.listen().onComplete(r -> {
            failure.set(r.cause());
            started.countDown();
        });
        try {
            if (!started.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("HTTP server did not start in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure.get() != null) {
            stop();
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + failure.get().getMessage(),
                    failure.get());
        }
        return server;
    }

    /** True from the moment every server listens until stop: what the readiness check reports. */
    public boolean listening() {
        return listening;
    }

    public void stop() {
        listening = false;
        for (HttpServer server : servers) {
            server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        servers.clear();
    }

    private void configureTls(HttpServerOptions options) {
        HttpSettings.Tls tls = settings.tls();
        if (!tls.enabled()) {
            return;
        }
        options.setSsl(true).setKeyCertOptions(store(tls.keyStore(), tls.keyStorePassword(), tls.keyStoreType()));
        if (!tls.trustStore().isBlank()) {
            options.setTrustOptions(store(tls.trustStore(), tls.trustStorePassword(), tls.trustStoreType()));
        }
        options.setClientAuth(switch (tls.clientAuth().toLowerCase()) {
            case "require", "required" -> ClientAuth.REQUIRED;
            case "request", "requested" -> ClientAuth.REQUEST;
            case "none", "" -> ClientAuth.NONE;
            default -> throw new IllegalArgumentException("hookhub.tls.client-auth must be none, request or require");
        });
        if (options.getClientAuth() == ClientAuth.REQUIRED && tls.trustStore().isBlank()) {
            throw new IllegalArgumentException("hookhub.tls.client-auth=require needs hookhub.tls.trust-store");
        }
        if (!tls.protocols().isEmpty()) {
            options.setEnabledSecureTransportProtocols(new LinkedHashSet<>(tls.protocols()));
        }
    }

    private static KeyStoreOptionsBase store(String path, String password, String type) {
        String t = type.isBlank() ? (path.endsWith(".jks") ? "JKS" : "PKCS12") : type.toUpperCase();
        return switch (t) {
            case "JKS" -> new JksOptions().setPath(path).setPassword(password);
            case "PKCS12", "PFX", "P12" -> new PfxOptions().setPath(path).setPassword(password);
            default -> throw new IllegalArgumentException("key/trust store type must be PKCS12 or JKS, got " + type);
        };
    }

    /** Counts connections; the ones above hookhub.http.max-connections get 503 on their first request. */
    private void connected(HttpConnection connection) {
        if (open.size() >= settings.maxConnections()) {
            overCap.add(connection);
        }
        open.add(connection);
        connection.closeHandler(v -> {
            open.remove(connection);
            overCap.remove(connection);
        });
    }

    private void handle(HttpServerRequest request, Router router) {
        if (overCap.contains(request.connection())) {
            metrics.rejected("unknown", "too_many_connections");
            Replies.write(request.response(), 503, Replies.unavailable("too_many_connections",
                    "more than hookhub.http.max-connections connections are open; retry later"), "Retry-After", "5", "Connection", "close");
            request.connection().close();
            return;
        }
        ReloadGate.Ticket ticket = gate.enter(request.path());
        if (ticket.refused()) {
            String source = ticket.source();
            metrics.rejected(source, "source_reloading");
            Replies.write(request.response(), 503, Replies.unavailable("source_reloading",
                    "the route file of source '" + source + "' is being reloaded; retry in a second"), "Retry-After", "1");
            return;
        }
        long timer = vertx.setTimer(settings.requestTimeout().toMillis(), t -> {
            if (!request.response().ended() && !request.isEnded()) {
                // a client that trickles its request must not hold a connection and a worker
                metrics.rejected("unknown", "request_timeout");
                Replies.write(request.response(), 408, Replies.rejection("request_timeout",
                        "the request was not complete within hookhub.http.request-timeout"), "Connection", "close");
                request.connection().close();
            }
        });
        // the response's only end handler (a second one would replace it): called when it ends or the connection closes
        request.response().endHandler(v -> {
            vertx.cancelTimer(timer);
            ticket.leave();
        });
        router.handle(request);
    }

    /** Request lines and headers over the limits get 414 / 431 with hookhub's JSON body instead of a bare status. */
    private void invalid(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        String name = cause == null ? "" : cause.getClass().getSimpleName();
        int status;
        String code;
        String message;
        if (name.contains("TooLongHttpLine") || name.contains("TooLongUri")) {
            status = 414;
            code = "uri_too_long";
            message = "the request line is longer than hookhub.http.max-request-line (" + settings.maxRequestLine() + " bytes)";
        } else if (name.contains("TooLongHttpHeader") || name.contains("TooLongHeader")) {
            status = 431;
            code = "headers_too_large";
            message = "the request headers are larger than hookhub.http.max-header-bytes (" + settings.maxHeaderBytes() + " bytes)";
        } else {
            status = 400;
            code = "bad_request";
            message = "the request is not valid HTTP/1.1";
        }
        metrics.rejected("unknown", code);
        Replies.write(request.response(), status, Replies.rejection(code, message), "Connection", "close");
        request.response().close();
    }
}
