package hookhub.it;

import com.fasterxml.jackson.databind.JsonNode;
import hookhub.testinfra.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reads what the hub wrote to a bucket on the test S3 server, the way an analyst's tools would. */
public final class S3Bucket implements AutoCloseable {

    public record StoredObject(String key, GetObjectResponse head, byte[] body) {
        public List<JsonNode> records() {
            try {
                Path tmp = Files.createTempFile("s3-object", ".ndjson.gz");
                Files.write(tmp, body);
                List<JsonNode> r = Lake.read(tmp);
                Files.delete(tmp);
                return r;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final S3Client s3;
    private final String bucket;

    public S3Bucket(S3ProxyServer server, String bucket) {
        this.bucket = bucket;
        this.s3 = S3Client.builder().endpointOverride(server.endpointUri()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY,
                        S3ProxyServer.SECRET_KEY))).build();
    }

    public S3Bucket create() {
        s3.createBucket(b -> b.bucket(bucket));
        return this;
    }

    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).build()).contents()) {
            keys.add(o.key());
        }
        return keys;
    }

    public StoredObject get(String key) {
        ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        return new StoredObject(key, r.response(), r.asByteArray());
    }

    /** Every record in the bucket; an object that vanishes between listing and reading (being written) is skipped. */
    public List<JsonNode> records() {
        List<JsonNode> all = new ArrayList<>();
        for (String key : keys()) {
            try {
                all.addAll(get(key).records());
            } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
                // S3Proxy lists an object while it is still being written; the next poll reads it
            }
        }
        return all;
    }

    public List<JsonNode> await(Predicate<List<JsonNode>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> now = records();
        while (!done.test(now)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the bucket did not reach the expected state in " + timeout + "; it holds " + now.size()
                        + " records in " + keys().size() + " objects");
            }
            Lake.sleep(200);
            now = records();
        }
        return now;
    }

    @Override
    public void close() {
        s3.close();
    }

}
