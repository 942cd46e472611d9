package hookhub.config;

import hookhub.deliver.CompressedParts;
import hookhub.deliver.DeliveryLoop;
import hookhub.deliver.DeliveryRoutes;
import hookhub.deliver.DeliverySettings;
import hookhub.deliver.FirehoseSink;
import hookhub.deliver.LakeSink;
import hookhub.deliver.S3Sink;
import hookhub.deliver.Sink;
import hookhub.deliver.SinkHealthCheck;
import hookhub.deliver.SinkStatus;
import hookhub.edge.AcceptResults;
import hookhub.edge.AcceptedReply;
import hookhub.edge.DecodeRequest;
import hookhub.edge.ErrorReplies;
import hookhub.edge.HttpEdge;
import hookhub.edge.HubHttpServer;
import hookhub.edge.ListenerHealthCheck;
import hookhub.edge.ReloadGate;
import hookhub.edge.RequestDecoder;
import hookhub.security.Cidr;
import hookhub.security.PiiKey;
import hookhub.security.PiiProtection;
import hookhub.edge.Quarantine;
import hookhub.ops.HubMetrics;
import hookhub.ops.StatusPage;
import hookhub.ops.StoreGauges;
import hookhub.ops.StoreTask;
import hookhub.store.EventKeyExpression;
import hookhub.store.EventStore;
import hookhub.store.StoreHealthCheck;
import hookhub.store.StoreIdempotentRepository;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Builds hookhub's parts from the settings and puts them where the routes find them: beans the YAML routes name
 * ({@code #eventStore}, {@code decodeRequest}, …), the error replies every route shares, the delivery routes, health
 * checks and metrics; {@link HubStartup} then installs the HTTP edge and loads the vendor route files.
 */
public class HubConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        context.getPropertiesComponent().addPropertiesFunction(new FileSecretFunction());
        SettingsReader settings = new SettingsReader(new HubSettings(context));
        HubSettings raw = settings.raw();
        Path dataDir = settings.dataDir();
        long maxBody = raw.bytes("hookhub.http.max-body-bytes");
        Registry registry = context.getRegistry();
        LogFormat.apply(raw.string("hookhub.log.format"));
        PortCheck.requireBindable("hookhub.management.port", raw.string("hookhub.management.host"), raw.integer("hookhub.management.port"));

        // Requests wait for their group commit on a worker thread; enough of them keep many commits in flight.
        registry.bind("vertxOptions", new VertxOptions().setWorkerPoolSize(raw.integer("hookhub.http.worker-threads")));
        HubMetrics metrics = new HubMetrics(registry); // in the registry Camel serves at /observe/metrics

        List<Sink> sinks = sinks(context, settings);
        List<String> sinkNames = sinks.stream().map(Sink::name).toList();
        EventStore store = new EventStore(settings.store(), dataDir, sinkNames);
        DeliverySettings delivery = settings.delivery();
        for (Sink sink : sinks) {
            // new events reach each sink in memory, their rows leased to this instance (see DeliveryQueue)
            store.queue(sink.name()).deliverFromMemory(batchOf(sink, delivery).batch(), delivery.memoryBytes());
        }
        store.start();
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                store.close(); // after the routes: in-flight requests finish their commits first
            }
        });
        HealthCheckRegistry.get(context).register(new StoreHealthCheck(store));

        List<Cidr> trustedProxies = settings.http().trustedProxies().stream().map(Cidr::parse).toList();
        Quarantine quarantine = new Quarantine(dataDir.resolve("quarantine"), maxBody, raw.bytes("hookhub.quarantine.max-bytes"),
                trustedProxies);
        registry.bind("eventStore", new StoreIdempotentRepository(store));
        registry.bind("eventKey", new EventKeyExpression());
        registry.bind("decodeRequest", new DecodeRequest(new RequestDecoder.Context(trustedProxies,
                new PiiProtection(PiiKey.resolve(raw.string("hookhub.pii.hmac-key"), dataDir)))));
        registry.bind("acceptResults", new AcceptResults());
        registry.bind("acceptedReply", new AcceptedReply(metrics));
        context.addRoutes(new ErrorReplies(quarantine, metrics));

        List<DeliveryLoop> loops = new ArrayList<>();
        List<SinkStatus> statuses = new ArrayList<>();
        for (Sink sink : sinks) {
            SinkStatus status = new SinkStatus(sink.name());
            statuses.add(status);
            HealthCheckRegistry.get(context).register(new SinkHealthCheck(status, store));
            DeliverySettings sinkDelivery = batchOf(sink, delivery);
            loops.add(new DeliveryLoop(sink, store.queue(sink.name()), sinkDelivery, status, metrics));
        }
        context.addRoutes(new DeliveryRoutes(sinkNames, loops, delivery.pollInterval().toMillis(),
                raw.duration("hookhub.dedup.purge-interval").toMillis(), new StoreGauges(store, metrics),
                new StoreTask("bodies", metrics, store::dropDeliveredBodies),
                new StoreTask("retention", metrics, () -> store.purgeExpired(System.currentTimeMillis())),
                new StoreTask("free-space", metrics, store::returnFreeSpace)));

        ReloadGate reloadGate = new ReloadGate();
        RouteFiles routeFiles = new RouteFiles(Path.of(raw.string("hookhub.routes.dir")), reloadGate);
        registry.bind("routeFiles", routeFiles);
        HealthCheckRegistry.get(context).register(new RouteFilesHealthCheck(routeFiles));
        long reload = raw.duration("hookhub.routes.reload-interval").toMillis();
        if (reload > 0) {
            context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:route-files?delay=" + reload + "&period=" + reload).routeId("route-files")
                            .routeDescription("Loads new and changed route files (validated first), retires deleted ones")
                            .process(e -> routeFiles.scan(e.getContext()));
                }
            });
        }
        StatusPage statusPage = new StatusPage(metrics, store, statuses, routeFiles::problems);
        HubHttpServer server = new HubHttpServer(settings.http(), metrics, reloadGate);
        HealthCheckRegistry.get(context).register(new ListenerHealthCheck(server));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                server.stop();
            }
        });
        context.addStartupListener(new HubStartup(new HttpEdge(maxBody, quarantine, metrics), server, routeFiles,
                new StartupSummary(settings, sinkNames), ctx -> statusPage.install(ctx, raw.integer("hookhub.management.port"))));
    }

    /** Compressed lake/S3 files kept for the other of the two sinks: a few batches' worth. */
    private static final long COMPRESSED_PARTS_BYTES = 32L << 20;

    /** The delivery settings with the sink's own batch limits, if it has any. */
    private static DeliverySettings batchOf(Sink sink, DeliverySettings delivery) {
        return sink.ownBatch().map(delivery::withBatch).orElse(delivery);
    }

    /** The enabled sinks: the local lake (default), S3 when a bucket is set, Firehose when a stream is set. */
    private static List<Sink> sinks(CamelContext context, SettingsReader settings) {
        List<Sink> sinks = new ArrayList<>();
        boolean lake = settings.raw().bool("hookhub.lake.enabled");
        // the lake and S3 write the same files: the one that gets to a batch first compresses it for both
        CompressedParts gzip = new CompressedParts(COMPRESSED_PARTS_BYTES, (lake ? 1 : 0) + (settings.s3().enabled() ? 1 : 0));
        if (lake) {
            sinks.add(new LakeSink(Path.of(settings.raw().string("hookhub.lake.dir")), gzip));
        }
        if (settings.s3().enabled()) {
            sinks.add(new S3Sink(context.createProducerTemplate(), settings.s3(), gzip));
        }
        if (settings.firehose().enabled()) {
            sinks.add(new FirehoseSink(context.createProducerTemplate(), settings.firehose()));
        }
        return sinks;
    }
}
