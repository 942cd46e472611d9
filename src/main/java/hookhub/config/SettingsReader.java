package hookhub.config;

import hookhub.deliver.DeliverySettings;
import hookhub.deliver.FirehoseSettings;
import hookhub.deliver.S3Settings;
import hookhub.edge.HttpSettings;
import hookhub.store.BatchPolicy;
import hookhub.store.EventStore;
import hookhub.store.StoreSettings;
import java.nio.file.Path;

/** Reads the typed settings of each part of the hub from hookhub.* properties. */
public final class SettingsReader {

    private final HubSettings s;

    public SettingsReader(HubSettings settings) {
        this.s = settings;
    }

    public HubSettings raw() {
        return s;
    }

    public Path dataDir() {
        return Path.of(s.string("hookhub.data-dir"));
    }

    /** hookhub.store.* and hookhub.dedup.window; an empty URL means the embedded SQLite file in the data directory. */
    public StoreSettings store() {
        String url = s.string("hookhub.store.url");
        return new StoreSettings(url.isEmpty() ? EventStore.defaultUrl(dataDir()) : url, s.string("hookhub.store.user"),
                s.string("hookhub.store.password"), s.string("hookhub.store.sync"), s.duration("hookhub.dedup.window"),
                s.integer("hookhub.store.max-backlog"), s.bytes("hookhub.store.min-free-disk"),
                s.duration("hookhub.store.commit-timeout"), s.integer("hookhub.store.max-group"),
                s.bytes("hookhub.store.wal-restart-size"));
    }

    public DeliverySettings delivery() {
        BatchPolicy batch = new BatchPolicy(s.integer("hookhub.batch.max-records"), s.bytes("hookhub.batch.max-bytes"),
                s.duration("hookhub.batch.max-age"), s.duration("hookhub.delivery.lease"));
        return new DeliverySettings(batch, s.duration("hookhub.delivery.poll-interval"),
                s.integer("hookhub.delivery.max-attempts"), s.duration("hookhub.delivery.max-age"),
                s.duration("hookhub.delivery.backoff-min"), s.duration("hookhub.delivery.backoff-max"),
                s.bytes("hookhub.delivery.memory"));
    }

    public HttpSettings http() {
        HttpSettings.Tls tls = new HttpSettings.Tls(s.string("hookhub.tls.key-store"), s.string("hookhub.tls.key-store-password"),
                s.string("hookhub.tls.key-store-type"), s.string("hookhub.tls.trust-store"), s.string("hookhub.tls.trust-store-password"),
                s.string("hookhub.tls.trust-store-type"), s.string("hookhub.tls.client-auth"), list("hookhub.tls.protocols"));
        return new HttpSettings(s.string("hookhub.http.host"), s.integer("hookhub.http.port"), s.bytes("hookhub.http.max-body-bytes"),
                (int) s.bytes("hookhub.http.max-request-line"), (int) s.bytes("hookhub.http.max-header-bytes"),
                s.duration("hookhub.http.idle-timeout"), s.duration("hookhub.http.request-timeout"),
                s.integer("hookhub.http.max-connections"), list("hookhub.http.trusted-proxies"), tls);
    }

    private java.util.List<String> list(String key) {
        return java.util.Arrays.stream(s.string(key).split("[,\\s]+")).filter(v -> !v.isBlank()).toList();
    }

    public S3Settings s3() {
        return new S3Settings(s.string("hookhub.s3.bucket"), s.string("hookhub.s3.prefix"), s.string("hookhub.s3.region"),
                s.string("hookhub.s3.endpoint"), s.bool("hookhub.s3.path-style"), s.string("hookhub.s3.storage-class"),
                s.string("hookhub.s3.sse"), s.string("hookhub.s3.kms-key-id"));
    }

    public FirehoseSettings firehose() {
        return new FirehoseSettings(s.string("hookhub.firehose.stream"), s.string("hookhub.firehose.region"),
                s.string("hookhub.firehose.endpoint"), (int) s.bytes("hookhub.firehose.pack-bytes"),
                s.integer("hookhub.firehose.max-retries"),
                new BatchPolicy(s.integer("hookhub.firehose.batch.max-records"), s.bytes("hookhub.firehose.batch.max-bytes"),
                        s.duration("hookhub.firehose.batch.max-age"), s.duration("hookhub.delivery.lease")));
    }
}
