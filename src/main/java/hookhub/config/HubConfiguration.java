package hookhub.config;

import hookhub.deliver.DeliveryLoop;
import hookhub.deliver.DeliveryRoutes;
import hookhub.deliver.DeliverySettings;
import hookhub.deliver.FirehoseSettings;
import hookhub.deliver.FirehoseSink;
import hookhub.deliver.S3Settings;
import hookhub.deliver.S3Sink;
import hookhub.deliver.SinkHealthCheck;
import hookhub.deliver.LakeSink;
import hookhub.deliver.Sink;
import hookhub.deliver.SinkStatus;
import hookhub.edge.AcceptResults;
import hookhub.edge.AcceptedReply;
import hookhub.edge.DecodeRequest;
import hookhub.edge.ErrorReplies;
import hookhub.edge.HttpEdge;
import hookhub.edge.Quarantine;
import hookhub.store.BatchPolicy;
import hookhub.store.EventStore;
import hookhub.store.StoreHealthCheck;
import hookhub.store.StoreIdempotentRepository;
import hookhub.store.StoreSettings;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Builds hookhub's parts from the settings and puts them where the routes find them: beans the YAML routes name
 * ({@code #eventStore}, {@code decodeRequest}, …), the error replies every route shares, the delivery routes, and
 * the HTTP edge handlers.
 */
public class HubConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        HubSettings settings = new HubSettings(context);
        Path dataDir = Path.of(settings.string("hookhub.data-dir"));
        long maxBody = settings.bytes("hookhub.http.max-body-bytes");
        Registry registry = context.getRegistry();

        // Requests wait for their group commit on a worker thread; enough of them keep many commits in flight.
        registry.bind("vertxOptions", new VertxOptions().setWorkerPoolSize(settings.integer("hookhub.http.worker-threads")));

        List<Sink> sinks = sinks(context, settings);
        List<String> sinkNames = sinks.stream().map(Sink::name).toList();

        EventStore store = new EventStore(storeSettings(settings, dataDir), dataDir, sinkNames);
        store.start();
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                store.close();
            }
        });

        HealthCheckRegistry.get(context).register(new StoreHealthCheck(store));

        Quarantine quarantine = new Quarantine(dataDir.resolve("quarantine"), maxBody);
        registry.bind("quarantine", quarantine);
        registry.bind("eventStore", new StoreIdempotentRepository(store));
        registry.bind("decodeRequest", new DecodeRequest());
        registry.bind("acceptResults", new AcceptResults());
        registry.bind("acceptedReply", new AcceptedReply());
        context.addRoutes(new ErrorReplies(quarantine));

        DeliverySettings delivery = deliverySettings(settings);
        List<DeliveryLoop> loops = new ArrayList<>();
        for (Sink sink : sinks) {
            SinkStatus status = new SinkStatus(sink.name());
            HealthCheckRegistry.get(context).register(new SinkHealthCheck(status, store.queue(sink.name())));
            loops.add(new DeliveryLoop(sink, store.queue(sink.name()), delivery, status));
        }
        context.addRoutes(new DeliveryRoutes(store, sinkNames, loops, delivery.pollInterval().toMillis(),
                settings.duration("hookhub.dedup.purge-interval").toMillis()));

        HttpEdge edge = new HttpEdge(maxBody, quarantine);
        int port = settings.integer("hookhub.http.port");
        RouteFiles routeFiles = new RouteFiles(Path.of(settings.string("hookhub.routes.dir")));
        registry.bind("routeFiles", routeFiles);
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                if (!alreadyStarted) { // Camel calls this again when routes are added to the running context
                    edge.install(ctx, port);
                }
            }

            private boolean routesLoaded;

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                if (!routesLoaded) {
                    routesLoaded = true;
                    routeFiles.loadAll(ctx); // after the edge: no source serves before its bodies are kept raw
                }
            }
        });
    }

    /** The enabled sinks: the local lake (default), S3 when a bucket is set, Firehose when a stream is set. */
    private static List<Sink> sinks(CamelContext context, HubSettings s) {
        List<Sink> sinks = new ArrayList<>();
        if (s.bool("hookhub.lake.enabled")) {
            sinks.add(new LakeSink(Path.of(s.string("hookhub.lake.dir"))));
        }
        S3Settings s3 = new S3Settings(s.string("hookhub.s3.bucket"), s.string("hookhub.s3.prefix"), s.string("hookhub.s3.region"),
                s.string("hookhub.s3.endpoint"), s.bool("hookhub.s3.path-style"), s.string("hookhub.s3.storage-class"),
                s.string("hookhub.s3.sse"), s.string("hookhub.s3.kms-key-id"));
        if (s3.enabled()) {
            sinks.add(new S3Sink(context.createProducerTemplate(), s3));
        }
        FirehoseSettings firehose = new FirehoseSettings(s.string("hookhub.firehose.stream"), s.string("hookhub.firehose.region"),
                s.string("hookhub.firehose.endpoint"), (int) s.bytes("hookhub.firehose.pack-bytes"),
                s.integer("hookhub.firehose.max-retries"));
        if (firehose.enabled()) {
            sinks.add(new FirehoseSink(context.createProducerTemplate(), firehose));
        }
        return sinks;
    }

    /** The store settings from hookhub.store.* (also used by the command-line tools). */
    public static StoreSettings storeSettings(HubSettings s, Path dataDir) {
        String url = s.string("hookhub.store.url");
        return new StoreSettings(url.isEmpty() ? EventStore.defaultUrl(dataDir) : url, s.string("hookhub.store.user"),
                s.string("hookhub.store.password"), s.string("hookhub.store.sync"), s.duration("hookhub.dedup.window"),
                s.integer("hookhub.store.max-backlog"), s.bytes("hookhub.store.min-free-disk"),
                s.duration("hookhub.store.commit-timeout"), s.integer("hookhub.store.max-group"));
    }

    private static DeliverySettings deliverySettings(HubSettings s) {
        BatchPolicy batch = new BatchPolicy(s.integer("hookhub.batch.max-records"), s.bytes("hookhub.batch.max-bytes"),
                s.duration("hookhub.batch.max-age"), s.duration("hookhub.delivery.lease"));
        return new DeliverySettings(batch, s.duration("hookhub.delivery.poll-interval"),
                s.integer("hookhub.delivery.max-attempts"), s.duration("hookhub.delivery.max-age"),
                s.duration("hookhub.delivery.backoff-min"),
                s.duration("hookhub.delivery.backoff-max"));
    }
}
