package hookhub.config;

import hookhub.deliver.FirehoseSettings;
import hookhub.deliver.S3Settings;
import java.util.List;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The start-up summary an operator reads first: what listens where, which sources and sinks, no secrets. */
final class StartupSummary {

    private static final Logger LOG = LoggerFactory.getLogger("hookhub");

    private final SettingsReader settings;
    private final List<String> sinks;

    StartupSummary(SettingsReader settings, List<String> sinks) {
        this.settings = settings;
        this.sinks = sinks;
    }

    void log(CamelContext context) {
        HubSettings s = settings.raw();
        TreeSet<String> sources = new TreeSet<>();
        context.getRoutes().stream().filter(r -> r.getEndpoint().getEndpointUri().startsWith("kamelet:")
                && r.getEndpoint().getEndpointUri().contains("hookhub-source")).forEach(r -> sources.add(r.getRouteId()));
        LOG.info("hookhub listening on {}:{} (management {}), sources {} under /webhooks/<source>", s.string("hookhub.http.host"),
                s.string("hookhub.http.port"), s.string("hookhub.management.port"), sources);
        String url = settings.store().url();
        LOG.info("store: {} (sync {}, dedup window {}, max backlog {})", url.replaceAll("(?i)password=[^&;]*", "password=***"),
                s.string("hookhub.store.sync"), s.string("hookhub.dedup.window"), s.string("hookhub.store.max-backlog"));
        LOG.info("sinks: {}; batches close at {} records, {} or {}", sinks, s.string("hookhub.batch.max-records"),
                s.string("hookhub.batch.max-bytes"), s.string("hookhub.batch.max-age"));
        if (sinks.contains("lake")) {
            LOG.info("sink lake: {}", s.string("hookhub.lake.dir"));
        }
        S3Settings s3 = settings.s3();
        if (s3.enabled()) {
            LOG.info("sink s3: s3://{}/{} region {}{}{}", s3.bucket(), s3.prefix(), s3.region(),
                    s3.endpoint().isBlank() ? "" : " endpoint " + s3.endpoint(), s3.sse().isBlank() ? "" : " sse " + s3.sse());
        }
        FirehoseSettings firehose = settings.firehose();
        if (firehose.enabled()) {
            LOG.info("sink firehose: stream {} region {}{}{}", firehose.stream(), firehose.region(),
                    firehose.endpoint().isBlank() ? "" : " endpoint " + firehose.endpoint(),
                    firehose.packBytes() > 0 ? " packing up to " + firehose.packBytes() + " bytes" : "");
        }
    }
}
