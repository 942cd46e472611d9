package hookhub.testinfra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

/** Proves the Firehose fake against the real SDK v2 client, so hub tests built on it can be trusted. */
class FirehoseTestServerTest {

    private static final String STREAM = "events";
    private static FirehoseTestServer server;
    private static FirehoseClient client;

    @BeforeAll
    static void startServer() {
        server = new FirehoseTestServer().createStream(STREAM).start(0);
        client = client("test");
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    private static FirehoseClient client(String secret) {
        return FirehoseClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", secret)))
                .region(Region.US_EAST_1)
                .build();
    }

    private static List<Record> records(int count, int size) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[size];
            java.util.Arrays.fill(b, (byte) ('a' + i % 26));
            out.add(Record.builder().data(SdkBytes.fromByteArray(b)).build());
        }
        return out;
    }

    private static PutRecordBatchResponse putBatch(List<Record> records) {
        return client.putRecordBatch(b -> b.deliveryStreamName(STREAM).records(records));
    }

    @Test
    void batchRoundTripCapturesDecodedBytesInOrder() {
        byte[][] sent = {"{\"a\":1}\n".getBytes(StandardCharsets.UTF_8), {0, (byte) 0xff, 10, 13}, "third".getBytes()};
        List<Record> recs = new ArrayList<>();
        for (byte[] s : sent) recs.add(Record.builder().data(SdkBytes.fromByteArray(s)).build());

        PutRecordBatchResponse r = putBatch(recs);

        assertEquals(0, r.failedPutCount());
        assertEquals(3, r.requestResponses().size());
        r.requestResponses().forEach(e -> assertTrue(e.recordId() != null && !e.recordId().isEmpty()));
        List<byte[]> got = server.records(STREAM);
        assertEquals(3, got.size());
        for (int i = 0; i < sent.length; i++) assertArrayEquals(sent[i], got.get(i));
        assertEquals(1, server.putRecordBatchCalls());
    }

    @Test
    void putRecordDescribeAndListWork() {
        String id = client.putRecord(b -> b.deliveryStreamName(STREAM)
                .record(r -> r.data(SdkBytes.fromUtf8String("one")))).recordId();
        assertTrue(id != null && !id.isEmpty());
        assertEquals(List.of("one"), server.recordsAsStrings(STREAM));

        var d = client.describeDeliveryStream(b -> b.deliveryStreamName(STREAM)).deliveryStreamDescription();
        assertEquals("ACTIVE", d.deliveryStreamStatusAsString());
        assertEquals("arn:aws:firehose:us-east-1:123456789012:deliverystream/events", d.deliveryStreamARN());
        assertTrue(client.listDeliveryStreams(b -> { }).deliveryStreamNames().contains(STREAM));
    }

    @Test
    void everyKthEntryFailsWithoutRecordIdForTheGivenNumberOfCalls() {
        server.failEveryKthRecord(2, 1);

        PutRecordBatchResponse r = putBatch(records(5, 3));

        // Partial failure is a 200 with FailedPutCount, not an exception (testinfra.md 3.5).
        assertEquals(2, r.failedPutCount());
        List<PutRecordBatchResponseEntry> e = r.requestResponses();
        assertEquals(5, e.size());
        for (int i : new int[] {1, 3}) {
            assertEquals("ServiceUnavailableException", e.get(i).errorCode());
            assertEquals("Slow down.", e.get(i).errorMessage());
            assertNull(e.get(i).recordId());
        }
        for (int i : new int[] {0, 2, 4}) {
            assertNull(e.get(i).errorCode());
            assertTrue(e.get(i).recordId() != null);
        }
        assertEquals(List.of("aaa", "ccc", "eee"), server.recordsAsStrings(STREAM));
        assertEquals(2, server.failedEntries());

        // calls=1 is used up: the next batch is clean.
        assertEquals(0, putBatch(records(5, 3)).failedPutCount());
    }

    @Test
    void moreThan500RecordsIsValidationException() {
        assertEquals(0, putBatch(records(500, 1)).failedPutCount()); // the boundary itself is fine
        server.reset();

        FirehoseException ex = assertThrows(FirehoseException.class, () -> putBatch(records(501, 1)));

        assertEquals(400, ex.statusCode());
        assertEquals("ValidationException", ex.awsErrorDetails().errorCode());
        assertTrue(server.records(STREAM).isEmpty());
    }

    @Test
    void recordOverOneMillionBytesIsValidationException() {
        assertEquals(0, putBatch(records(1, FirehoseTestServer.MAX_RECORD_BYTES)).failedPutCount());

        FirehoseException ex = assertThrows(FirehoseException.class, () -> putBatch(records(1, 1_024_001)));

        assertEquals("ValidationException", ex.awsErrorDetails().errorCode());
        assertTrue(ex.awsErrorDetails().errorMessage().contains("records.1.member.data"), ex.getMessage());
        assertEquals(1, server.records(STREAM).size());
    }

    @Test
    void batchOverFourMebibytesIsInvalidArgumentException() {
        // 5 x 1,000,000 B: every record and the count are legal, the 4,194,304 B total is not.
        InvalidArgumentException ex = assertThrows(InvalidArgumentException.class, () -> putBatch(records(5, 1_000_000)));

        assertEquals("InvalidArgumentException", ex.awsErrorDetails().errorCode());
        assertEquals("Records size exceeds 4 MB limit", ex.awsErrorDetails().errorMessage());
        assertTrue(server.records(STREAM).isEmpty());
    }

    @Test
    void wrongSecretIsRejectedWith403() {
        try (FirehoseClient bad = client("wrong")) {
            FirehoseException ex = assertThrows(FirehoseException.class, () -> bad.putRecordBatch(
                    b -> b.deliveryStreamName(STREAM).records(records(1, 1))));
            assertEquals(403, ex.statusCode());
            assertEquals("InvalidSignatureException", ex.awsErrorDetails().errorCode());
        }
        assertTrue(server.records(STREAM).isEmpty());
    }

    @Test
    void twoInjectedFailuresAreRetriedBySdk() {
        server.failNextCalls(2);

        assertEquals(0, putBatch(records(1, 1)).failedPutCount());

        assertEquals(3, server.putRecordBatchCalls()); // 2 x 500 + 1 x 200
        assertEquals(1, server.records(STREAM).size());
    }

    @Test
    void unknownStreamIsResourceNotFound() {
        ResourceNotFoundException ex = assertThrows(ResourceNotFoundException.class,
                () -> client.putRecordBatch(b -> b.deliveryStreamName("nope").records(records(1, 1))));
        assertEquals(400, ex.statusCode());
    }

    @Test
    void concurrentClientsAreAllCaptured() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<PutRecordBatchResponse>> fs = new ArrayList<>();
            for (int i = 0; i < 40; i++) fs.add(pool.submit(() -> putBatch(records(10, 5))));
            for (Future<PutRecordBatchResponse> f : fs) assertEquals(0, f.get().failedPutCount());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(400, server.records(STREAM).size());
        assertEquals(40, server.putRecordBatchCalls());
    }

    @Test
    void httpControlPathsDriveTheServer() throws Exception {
        // A hub running as a separate process is driven through these paths.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertEquals(200, post(http, "/_fault?outage=on").statusCode());
        FirehoseException down = assertThrows(FirehoseException.class, () -> putBatch(records(1, 1)));
        assertEquals(500, down.statusCode());
        assertEquals("ServiceUnavailableException", down.awsErrorDetails().errorCode());

        assertEquals(200, post(http, "/_fault?outage=off").statusCode());
        putBatch(List.of(Record.builder().data(SdkBytes.fromUtf8String("hi\n")).build()));
        HttpResponse<String> recs = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/_records?stream=" + STREAM))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(Base64.getEncoder().encodeToString("hi\n".getBytes()) + "\n", recs.body());

        assertEquals(200, post(http, "/_reset").statusCode());
        assertTrue(server.records(STREAM).isEmpty());
    }

    @Test
    void errorShapesForBadTargetAndBody() throws Exception {
        // Auth off so raw HTTP can reach the JSON layer; the SDK cannot produce these requests.
        try (FirehoseTestServer open = new FirehoseTestServer().auth(false).createStream("s").start(0)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> unknown = api(http, open, "Firehose_20150804.Frobnicate", "{}");
            assertEquals(400, unknown.statusCode());
            assertEquals("UnknownOperationException", unknown.headers().firstValue("X-Amzn-ErrorType").orElse(""));
            assertTrue(unknown.body().contains("\"__type\":\"UnknownOperationException\""), unknown.body());
            assertTrue(unknown.headers().firstValue("x-amzn-RequestId").isPresent());

            HttpResponse<String> badJson = api(http, open, "Firehose_20150804.PutRecordBatch", "{not json");
            assertEquals(400, badJson.statusCode());
            assertTrue(badJson.body().contains("SerializationException"), badJson.body());

            HttpResponse<String> badB64 = api(http, open, "Firehose_20150804.PutRecordBatch",
                    "{\"DeliveryStreamName\":\"s\",\"Records\":[{\"Data\":\"!!!\"}]}");
            assertEquals(400, badB64.statusCode());
            assertTrue(badB64.body().contains("SerializationException"), badB64.body());

            HttpResponse<String> empty = api(http, open, "Firehose_20150804.PutRecordBatch",
                    "{\"DeliveryStreamName\":\"s\",\"Records\":[]}");
            assertEquals(400, empty.statusCode());
            assertTrue(empty.body().contains("ValidationException"), empty.body());
        }
    }

    private static HttpResponse<String> post(HttpClient http, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> api(HttpClient http, FirehoseTestServer s, String target, String body)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(s.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
