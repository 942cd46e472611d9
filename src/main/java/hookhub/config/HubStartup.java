package hookhub.config;

import hookhub.edge.HttpEdge;
import hookhub.edge.HubHttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * What happens once Camel runs: the HTTP edge handlers go in front of every route (and the status page on the
 * management port), then the vendor route files are loaded (so no source serves before its bodies are kept raw),
 * then the public port opens and one summary line per part is logged.
 */
final class HubStartup implements StartupListener {

    private final HttpEdge edge;
    private final HubHttpServer server;
    private final RouteFiles routeFiles;
    private final StartupSummary summary;
    private final java.util.function.Consumer<CamelContext> management;
    private boolean edgeInstalled;
    private boolean routesLoaded;

    HubStartup(HttpEdge edge, HubHttpServer server, RouteFiles routeFiles, StartupSummary summary,
            java.util.function.Consumer<CamelContext> management) {
        this.management = management;
        this.edge = edge;
        this.server = server;
        this.routeFiles = routeFiles;
        this.summary = summary;
    }

    // Camel calls these again whenever routes are added to the running context: act once.

    @Override
    public synchronized void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (!edgeInstalled) {
            edgeInstalled = true;
            edge.install(HttpEdge.camelRouter(context));
            management.accept(context);
        }
    }

    @Override
    public synchronized void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        if (!routesLoaded) {
            routesLoaded = true;
            routeFiles.loadAll(context);
            // the public port opens only now: no vendor request meets a source that is still loading
            VertxPlatformHttpRouter router = HttpEdge.camelRouter(context);
            server.start(router.vertx(), router);
            summary.log(context);
        }
    }
}
