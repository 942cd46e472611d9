package hookhub.testinfra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Proves S3Proxy-as-child-process with the SDK v2 defaults hookhub uses (aws-chunked + trailing checksums):
 * stored bytes must equal sent bytes, not just "200 OK" (testinfra.md 1.1).
 */
class S3ProxyServerTest {

    private static S3ProxyServer s3;
    private static S3Client client;

    @BeforeAll
    static void start() {
        s3 = new S3ProxyServer(S3ProxyServer.Mode.TRANSIENT).start();
        client = client(s3);
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (s3 != null) s3.close();
    }

    static S3Client client(S3ProxyServer s) {
        return S3Client.builder()
                .endpointOverride(s.endpointUri())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .build();
    }

    static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return bos.toByteArray();
    }

    static void put(S3Client c, String bucket, String key, byte[] body) {
        c.putObject(b -> b.bucket(bucket).key(key).contentEncoding("gzip").contentType("application/json"),
                RequestBody.fromBytes(body));
    }

    @Test
    void gzipObjectRoundTripsByteIdenticalAndListsByPrefix() throws IOException {
        client.createBucket(b -> b.bucket("lake"));
        String json = "{\"event\":\"install\"}\n{\"event\":\"open\"}\n";
        byte[] body = gzip(json);
        String key = "source=appsflyer/dt=2026-11-25/part-0001.json.gz";
        put(client, "lake", key, body);
        put(client, "lake", "source=other/dt=2026-11-25/part-0001.json.gz", gzip("{}"));

        ResponseBytes<GetObjectResponse> got = client.getObjectAsBytes(b -> b.bucket("lake").key(key));

        assertArrayEquals(body, got.asByteArray()); // catches stored aws-chunked framing
        assertEquals("gzip", got.response().contentEncoding()); // "aws-chunked" must be stripped
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(got.asByteArray()))) {
            assertEquals(json, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        List<String> keys = client.listObjectsV2(b -> b.bucket("lake").prefix("source=appsflyer/dt=2026-11-25/"))
                .contents().stream().map(S3Object::key).collect(Collectors.toList());
        assertEquals(List.of(key), keys);
    }

    @Test
    void wrongSecretIsRejected() {
        try (S3Client bad = S3Client.builder().endpointOverride(s3.endpointUri()).forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "wrong")))
                .build()) {
            var ex = assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class,
                    () -> bad.listBuckets());
            assertEquals(403, ex.statusCode());
        }
    }

    @Test
    void filesystemModeKeepsObjectsAcrossRestartOnSamePort() throws IOException {
        try (S3ProxyServer fs = new S3ProxyServer(S3ProxyServer.Mode.FILESYSTEM, 0, null, Duration.ofSeconds(60))
                .start();
             S3Client c = client(fs)) {
            int port = fs.port();
            byte[] body = gzip("{\"survives\":true}\n");
            c.createBucket(b -> b.bucket("durable"));
            put(c, "durable", "k/part-0001.json.gz", body);

            fs.stop();
            // The outage is real: the SDK cannot connect while the child is down.
            assertFalse(fs.isRunning());
            assertThrows(SdkClientException.class, () -> c.headBucket(b -> b.bucket("durable")));

            fs.start();
            assertEquals(port, fs.port());
            assertTrue(fs.isRunning());
            assertArrayEquals(body, c.getObjectAsBytes(b -> b.bucket("durable").key("k/part-0001.json.gz")).asByteArray());
        }
    }
}
