package hookhub.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hookhub.decode.JsonBodyDecoder;
import hookhub.deliver.SinkStatus;
import hookhub.store.EventStore;
import hookhub.store.EventStore.SinkBacklog;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * A small status page on the management port: {@code /status} (HTML that refreshes itself) and {@code /status.json}
 * (the figures it shows): per source counters, last event time and last rejection; per sink deliveries, backlog,
 * dead letters and last error; the store; route files that failed to load.
 */
public final class StatusPage {

    private final HubMetrics metrics;
    private final EventStore store;
    private final List<SinkStatus> sinks;
    private final Supplier<Map<String, String>> routeProblems;
    private final byte[] html;

    public StatusPage(HubMetrics metrics, EventStore store, List<SinkStatus> sinks, Supplier<Map<String, String>> routeProblems) {
        this.metrics = metrics;
        this.store = store;
        this.sinks = sinks;
        this.routeProblems = routeProblems;
        try (InputStream in = StatusPage.class.getResourceAsStream("/hookhub/status.html")) {
            this.html = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void install(CamelContext context, int managementPort) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(managementPort));
        if (router == null) {
            return; // management server disabled
        }
        router.get("/status").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
                .end(io.vertx.core.buffer.Buffer.buffer(html)));
        router.get("/status.json").blockingHandler(this::json);
    }

    private void json(RoutingContext ctx) {
        ObjectNode root = JsonBodyDecoder.mapper().createObjectNode();
        root.put("time", Instant.now().toString());
        ArrayNode sources = root.putArray("sources");
        metrics.activity().snapshot().forEach((name, a) -> {
            ObjectNode s = sources.addObject().put("source", name).put("accepted", a.accepted()).put("duplicates", a.duplicates())
                    .put("rejected", a.rejected());
            s.put("last_event", a.lastEventAt() == 0 ? null : Instant.ofEpochMilli(a.lastEventAt()).toString());
            s.put("last_error", a.lastError());
        });
        Map<String, SinkBacklog> backlog = store.backlog();
        ArrayNode sinkNodes = root.putArray("sinks");
        for (SinkStatus sink : sinks) {
            SinkBacklog b = backlog.getOrDefault(sink.sink(), new SinkBacklog(0, 0, 0, 0));
            sinkNodes.addObject().put("sink", sink.sink()).put("state", sink.degraded() ? "degraded" : "ok")
                    .put("delivered", sink.delivered()).put("backlog", b.events()).put("backlog_bytes", b.bytes())
                    .put("dead_letters", b.deadLetters()).put("last_error", sink.lastError());
        }
        EventStore.Stats stats = store.stats();
        root.putObject("store").put("engine", stats.engine()).put("commits", stats.groupsCommitted())
                .put("events_committed", stats.eventsCommitted()).put("refusing", stats.refusal());
        ObjectNode problems = root.putObject("route_file_problems");
        routeProblems.get().forEach(problems::put);
        ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store").end(root.toString());
    }
}
