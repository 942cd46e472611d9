package hookhub.testinfra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * In-process Amazon Kinesis Data Firehose fake speaking the real AWS JSON 1.1 protocol
 * (docs: /work/shared/design/testinfra.md section 3). No Firehose emulator exists on Maven Central, so hookhub's
 * batching, limits and partial-failure handling are tested against this.
 *
 * <p>API: {@code POST /} with {@code X-Amz-Target: Firehose_20150804.<Op>}, SigV4-verified. Control paths (no auth,
 * never collide with the API because they are not {@code POST /}):
 * <ul>
 *   <li>{@code GET /_records?stream=x} one base64 line per accepted record, in arrival order (404 unknown stream)</li>
 *   <li>{@code POST /_reset}</li>
 *   <li>{@code POST /_fault?failNextCalls=n&failEveryKthRecord=k&calls=c&outage=on|off&latencyMs=ms} (any subset)</li>
 *   <li>{@code POST /_streams?name=x} create a stream; {@code GET /_stats} counters as JSON</li>
 * </ul>
 * Outage mode answers every API call with 500 ServiceUnavailableException (the port stays open so control paths
 * still work and the client sees a retryable fault, not a connection refusal).
 */
public final class FirehoseTestServer implements AutoCloseable {

    public static final String ACCOUNT_ID = "123456789012";
    public static final int MAX_RECORDS = 500;
    public static final int MAX_RECORD_BYTES = 1_024_000;
    public static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;

    private static final String TARGET_PREFIX = "Firehose_20150804.";
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,64}");
    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*"
                    + "SignedHeaders=([^,]+),\\s*Signature=([0-9a-f]{64})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String accessKey;
    private final String secretKey;
    private final String region;
    private volatile boolean authEnabled = true;
    /** false: count accepted records without keeping them (long benchmark runs would fill the heap). */
    private volatile boolean keepRecords = true;

    private HttpServer server;
    private ExecutorService executor;

    // All mutable state below is guarded by "this": a batch's accept decision and capture happen atomically.
    private final Map<String, Long> streams = new TreeMap<>();        // name -> create time (epoch s)
    private final Map<String, List<byte[]>> records = new HashMap<>();
    private final Map<String, Long> recordCounts = new HashMap<>();
    private int failNextCalls;
    private int failEveryK;
    private int failEveryKCalls;
    private boolean outage;
    private Duration latency = Duration.ZERO;
    private long putRecordBatchCalls;
    private long putRecordCalls;
    private long failedEntries;
    private final AtomicLong recordSeq = new AtomicLong();
    private final SecureRandom random = new SecureRandom();

    public FirehoseTestServer() {
        this("test", "test", "us-east-1");
    }

    public FirehoseTestServer(String accessKey, String secretKey, String region) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Binds 127.0.0.1 only; port 0 picks an ephemeral port. */
    public synchronized FirehoseTestServer start(int port) {
        if (server != null) throw new IllegalStateException("already started");
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind 127.0.0.1:" + port, e);
        }
        // Several hub threads (and SDK retries) send concurrently; the default executor is single-threaded.
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "firehose-test-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    public String region() {
        return region;
    }

    /** Turn SigV4 checking off (e.g. for curl in dev mode). On by default. */
    public FirehoseTestServer auth(boolean on) {
        authEnabled = on;
        return this;
    }

    /** Whether accepted records are kept for {@link #records}; when not, they are only counted. */
    public FirehoseTestServer keepRecords(boolean on) {
        keepRecords = on;
        return this;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    // ---------------------------------------------------------------- test hooks

    public synchronized FirehoseTestServer createStream(String name) {
        streams.putIfAbsent(name, Instant.now().getEpochSecond());
        records.putIfAbsent(name, new ArrayList<>());
        return this;
    }

    private void capture(String stream, byte[] data) { // caller holds "this"
        recordCounts.merge(stream, 1L, Long::sum);
        if (keepRecords) {
            records.get(stream).add(data);
        }
    }

    /** Decoded bytes of accepted records, in arrival order; empty for an unknown stream. */
    public synchronized List<byte[]> records(String stream) {
        return List.copyOf(records.getOrDefault(stream, List.of()));
    }

    public List<String> recordsAsStrings(String stream) {
        return records(stream).stream().map(b -> new String(b, StandardCharsets.UTF_8)).collect(Collectors.toList());
    }

    /** Clears captured records, faults, latency and counters; streams stay. */
    public synchronized void reset() {
        records.values().forEach(List::clear);
        recordCounts.clear();
        failNextCalls = 0;
        failEveryK = 0;
        failEveryKCalls = 0;
        outage = false;
        latency = Duration.ZERO;
        putRecordBatchCalls = 0;
        putRecordCalls = 0;
        failedEntries = 0;
    }

    /** The next n PutRecord/PutRecordBatch calls answer 500 ServiceUnavailableException "Slow down.". */
    public synchronized void failNextCalls(int n) {
        failNextCalls = n;
    }

    /** For the next {@code calls} PutRecordBatch calls, entries k, 2k, ... (1-based) fail. calls=MAX_VALUE: always. */
    public synchronized void failEveryKthRecord(int k, int calls) {
        failEveryK = k;
        failEveryKCalls = k > 0 ? calls : 0;
    }

    /** While on, every API call answers 500 ServiceUnavailableException. */
    public synchronized void outage(boolean on) {
        outage = on;
    }

    public synchronized void latency(Duration d) {
        latency = d == null ? Duration.ZERO : d;
    }

    /** Every authenticated PutRecordBatch request, including ones answered with an injected fault. */
    public synchronized long putRecordBatchCalls() {
        return putRecordBatchCalls;
    }

    public synchronized long putRecordCalls() {
        return putRecordCalls;
    }

    /** Entries failed inside 200 responses (partial failures), summed over all calls. */
    public synchronized long failedEntries() {
        return failedEntries;
    }

    // ---------------------------------------------------------------- HTTP dispatch

    private void handle(HttpExchange ex) throws IOException {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/_")) {
                control(ex, path);
            } else if (path.equals("/") && ex.getRequestMethod().equals("POST")) {
                api(ex, body);
            } else {
                sendError(ex, 404, "UnknownOperationException", "Only POST / is supported");
            }
        } catch (RuntimeException e) {
            sendError(ex, 500, "InternalFailure", String.valueOf(e));
        } finally {
            ex.close();
        }
    }

    private void api(HttpExchange ex, byte[] body) throws IOException {
        Duration delay;
        synchronized (this) {
            delay = latency;
        }
        if (!delay.isZero()) sleep(delay);

        if (authEnabled && !signatureValid(ex, body)) {
            sendError(ex, 403, "InvalidSignatureException", "The request signature we calculated does not match "
                    + "the signature you provided. Check your AWS Secret Access Key and signing method.");
            return;
        }
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        String op = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : "";
        boolean put = op.equals("PutRecord") || op.equals("PutRecordBatch");
        boolean unavailable;
        synchronized (this) {
            if (op.equals("PutRecordBatch")) putRecordBatchCalls++;
            if (op.equals("PutRecord")) putRecordCalls++;
            boolean injected = put && failNextCalls > 0;
            if (injected) failNextCalls--;
            unavailable = outage || injected;
        }
        if (unavailable) {
            sendError(ex, 500, "ServiceUnavailableException", "Slow down.");
            return;
        }
        JsonNode req;
        try {
            req = JSON.readTree(body);
            if (req == null || !req.isObject()) throw new IOException("not a JSON object");
        } catch (IOException e) {
            sendError(ex, 400, "SerializationException", "Malformed request body: " + e.getMessage());
            return;
        }
        try {
            ObjectNode out;
            switch (op) {
                case "PutRecord": out = putRecord(req); break;
                case "PutRecordBatch": out = putRecordBatch(req); break;
                case "DescribeDeliveryStream": out = describe(req); break;
                case "ListDeliveryStreams": out = list(req); break;
                case "CreateDeliveryStream": out = create(req); break;
                default:
                    sendError(ex, 400, "UnknownOperationException", "Unknown operation " + target);
                    return;
            }
            send(ex, 200, JSON_11, JSON.writeValueAsBytes(out));
        } catch (ApiError e) {
            sendError(ex, e.status, e.type, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- operations

    private ObjectNode putRecord(JsonNode req) {
        String name = streamName(req);
        byte[] data = decode(req.path("Record").path("Data"), "record.data");
        if (data.length > MAX_RECORD_BYTES) {
            throw validation(1, tooLong(data.length, "record.data"));
        }
        synchronized (this) {
            requireStream(name);
            capture(name, data);
        }
        return JSON.createObjectNode().put("RecordId", newRecordId()).put("Encrypted", false);
    }

    private ObjectNode putRecordBatch(JsonNode req) {
        String name = streamName(req);
        JsonNode recs = req.get("Records");
        if (recs == null || !recs.isArray()) {
            throw validation(1, "Value null at 'records' failed to satisfy constraint: Member must not be null");
        }
        // Count is checked before any size (as real Firehose does), so a 501-record batch is a ValidationException.
        if (recs.size() > MAX_RECORDS) {
            throw validation(1, "Value '[...]' at 'records' failed to satisfy constraint: "
                    + "Member must have length less than or equal to " + MAX_RECORDS);
        }
        if (recs.size() == 0) {
            throw validation(1, "Value '[]' at 'records' failed to satisfy constraint: "
                    + "Member must have length greater than or equal to 1");
        }
        List<byte[]> decoded = new ArrayList<>();
        List<String> tooBig = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < recs.size(); i++) {
            byte[] data = decode(recs.get(i).path("Data"), "records." + (i + 1) + ".member.data");
            if (data.length > MAX_RECORD_BYTES) tooBig.add(tooLong(data.length, "records." + (i + 1) + ".member.data"));
            decoded.add(data);
            total += data.length;
        }
        if (!tooBig.isEmpty()) throw validation(tooBig.size(), String.join("; ", tooBig));

        ArrayNode responses = JSON.createArrayNode();
        int failed = 0;
        synchronized (this) {
            requireStream(name);
            if (total > MAX_BATCH_BYTES) throw new ApiError(400, "InvalidArgumentException", "Records size exceeds 4 MB limit");
            int k = failEveryKCalls > 0 ? failEveryK : 0;
            if (k > 0 && failEveryKCalls != Integer.MAX_VALUE) failEveryKCalls--;
            for (int i = 0; i < decoded.size(); i++) {
                if (k > 0 && (i + 1) % k == 0) {
                    // Failed entries carry only ErrorCode/ErrorMessage, never a RecordId (testinfra.md 3.5).
                    responses.addObject().put("ErrorCode", "ServiceUnavailableException").put("ErrorMessage", "Slow down.");
                    failed++;
                } else {
                    capture(name, decoded.get(i));
                    responses.addObject().put("RecordId", newRecordId());
                }
            }
            failedEntries += failed;
        }
        ObjectNode out = JSON.createObjectNode().put("FailedPutCount", failed).put("Encrypted", false);
        out.set("RequestResponses", responses);
        return out;
    }

    private ObjectNode describe(JsonNode req) {
        String name = streamName(req);
        long created;
        synchronized (this) {
            created = requireStream(name);
        }
        ObjectNode d = JSON.createObjectNode()
                .put("DeliveryStreamName", name)
                .put("DeliveryStreamARN", arn(name))
                .put("DeliveryStreamStatus", "ACTIVE")
                .put("DeliveryStreamType", "DirectPut")
                .put("VersionId", "1")
                .put("CreateTimestamp", created)
                .put("HasMoreDestinations", false);
        d.putArray("Destinations");
        ObjectNode out = JSON.createObjectNode();
        out.set("DeliveryStreamDescription", d);
        return out;
    }

    private ObjectNode list(JsonNode req) {
        int limit = req.path("Limit").asInt(10_000);
        String after = req.path("ExclusiveStartDeliveryStreamName").asText("");
        List<String> names;
        synchronized (this) {
            names = streams.keySet().stream().filter(n -> n.compareTo(after) > 0).collect(Collectors.toList());
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode arr = out.putArray("DeliveryStreamNames");
        names.stream().limit(limit).forEach(arr::add);
        out.put("HasMoreDeliveryStreams", names.size() > limit);
        return out;
    }

    private ObjectNode create(JsonNode req) {
        String name = streamName(req);
        synchronized (this) {
            if (streams.containsKey(name)) {
                throw new ApiError(400, "ResourceInUseException",
                        "Firehose " + name + " under accountId " + ACCOUNT_ID + " already exists");
            }
            createStream(name);
        }
        return JSON.createObjectNode().put("DeliveryStreamARN", arn(name));
    }

    // ---------------------------------------------------------------- helpers

    private String streamName(JsonNode req) {
        String name = req.path("DeliveryStreamName").asText(null);
        if (name == null || !STREAM_NAME.matcher(name).matches()) {
            throw validation(1, "Value '" + name + "' at 'deliveryStreamName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and length 1-64");
        }
        return name;
    }

    /** Must hold the lock. Returns the create timestamp. */
    private long requireStream(String name) {
        Long created = streams.get(name);
        if (created == null) {
            throw new ApiError(400, "ResourceNotFoundException",
                    "Firehose " + name + " under account " + ACCOUNT_ID + " not found.");
        }
        return created;
    }

    private static byte[] decode(JsonNode data, String field) {
        if (data.isMissingNode() || data.isNull()) {
            throw validation(1, "Value null at '" + field + "' failed to satisfy constraint: Member must not be null");
        }
        if (!data.isTextual()) throw new ApiError(400, "SerializationException", field + " must be a base64 string");
        try {
            return Base64.getDecoder().decode(data.asText());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "SerializationException", "Invalid base64 at " + field + ": " + e.getMessage());
        }
    }

    private static String tooLong(int n, String field) {
        return "Value 'java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]' at '" + field
                + "' failed to satisfy constraint: Member must have length less than or equal to " + MAX_RECORD_BYTES;
    }

    private static ApiError validation(int count, String detail) {
        return new ApiError(400, "ValidationException",
                count + " validation error" + (count == 1 ? "" : "s") + " detected: " + detail);
    }

    private String arn(String name) {
        return "arn:aws:firehose:" + region + ":" + ACCOUNT_ID + ":deliverystream/" + name;
    }

    /** Opaque and long like real ones (~200 base64-like chars), unique per record. */
    private String newRecordId() {
        byte[] b = new byte[150];
        random.nextBytes(b);
        return recordSeq.incrementAndGet() + Base64.getEncoder().encodeToString(b);
    }

    private static void sendError(HttpExchange ex, int status, String type, String message) throws IOException {
        ex.getResponseHeaders().set("X-Amzn-ErrorType", type);
        byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("__type", type).put("message", message));
        send(ex, status, JSON_11, body);
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class ApiError extends RuntimeException {
        final int status;
        final String type;

        ApiError(int status, String type, String message) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
        }
    }

    // ---------------------------------------------------------------- SigV4 (honest, ~30 lines)

    private boolean signatureValid(HttpExchange ex, byte[] body) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String amzDate = ex.getRequestHeaders().getFirst("X-Amz-Date");
        Matcher m = auth == null || amzDate == null ? null : AUTH.matcher(auth);
        if (m == null || !m.matches()) return false;
        // Wrong key, region or service means a misconfigured client: reject like AWS would.
        if (!m.group(1).equals(accessKey) || !m.group(3).equals(region) || !m.group(4).equals("firehose")) return false;
        String date = m.group(2);
        String signedHeaders = m.group(5);
        StringBuilder canonical = new StringBuilder(ex.getRequestMethod()).append('\n')
                .append(ex.getRequestURI().getRawPath()).append('\n')
                .append(canonicalQuery(ex.getRequestURI().getRawQuery())).append('\n');
        for (String h : signedHeaders.split(";")) {
            List<String> values = ex.getRequestHeaders().get(h);
            if (values == null) return false;
            canonical.append(h).append(':')
                    .append(values.stream().map(v -> v.trim().replaceAll("\\s+", " ")).collect(Collectors.joining(",")))
                    .append('\n');
        }
        canonical.append('\n').append(signedHeaders).append('\n').append(hex(sha256(body)));
        String scope = date + "/" + region + "/firehose/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = ("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8);
        for (String part : new String[] {date, region, "firehose", "aws4_request"}) key = hmac(key, part);
        return MessageDigest.isEqual(hex(hmac(key, toSign)).getBytes(StandardCharsets.US_ASCII),
                m.group(6).getBytes(StandardCharsets.US_ASCII));
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) return "";
        return Arrays.stream(rawQuery.split("&")).map(p -> p.contains("=") ? p : p + "=").sorted()
                .collect(Collectors.joining("&"));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder(b.length * 2);
        for (byte x : b) s.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        return s.toString();
    }

    // ---------------------------------------------------------------- control paths

    private void control(HttpExchange ex, String path) throws IOException {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        boolean post = ex.getRequestMethod().equals("POST");
        byte[] ok = "ok\n".getBytes(StandardCharsets.UTF_8);
        switch (path) {
            case "/_records": {
                String stream = q.get("stream");
                boolean known;
                synchronized (this) {
                    known = stream != null && streams.containsKey(stream);
                }
                if (!known) {
                    send(ex, 404, "text/plain", ("unknown stream " + stream + "\n").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                StringBuilder sb = new StringBuilder();
                for (byte[] r : records(stream)) sb.append(Base64.getEncoder().encodeToString(r)).append('\n');
                send(ex, 200, "text/plain", sb.toString().getBytes(StandardCharsets.UTF_8));
                return;
            }
            case "/_stats": {
                ObjectNode s = JSON.createObjectNode();
                synchronized (this) {
                    s.put("putRecordBatchCalls", putRecordBatchCalls).put("putRecordCalls", putRecordCalls)
                            .put("failedEntries", failedEntries);
                    ObjectNode counts = s.putObject("records");
                    records.keySet().forEach(k -> counts.put(k, recordCounts.getOrDefault(k, 0L)));
                }
                send(ex, 200, "application/json", JSON.writeValueAsBytes(s));
                return;
            }
            case "/_reset":
                if (!post) break;
                reset();
                send(ex, 200, "text/plain", ok);
                return;
            case "/_streams":
                if (!post || q.get("name") == null) break;
                createStream(q.get("name"));
                send(ex, 200, "text/plain", ok);
                return;
            case "/_fault":
                if (!post) break;
                try {
                    if (q.containsKey("failNextCalls")) failNextCalls(Integer.parseInt(q.get("failNextCalls")));
                    if (q.containsKey("failEveryKthRecord")) {
                        failEveryKthRecord(Integer.parseInt(q.get("failEveryKthRecord")),
                                q.containsKey("calls") ? Integer.parseInt(q.get("calls")) : Integer.MAX_VALUE);
                    }
                    if (q.containsKey("outage")) outage(q.get("outage").matches("on|true|1"));
                    if (q.containsKey("latencyMs")) latency(Duration.ofMillis(Long.parseLong(q.get("latencyMs"))));
                } catch (NumberFormatException e) {
                    send(ex, 400, "text/plain", ("bad number: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                send(ex, 200, "text/plain", ok);
                return;
            default:
        }
        send(ex, 404, "text/plain", ("unknown control path " + ex.getRequestMethod() + " " + path + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) return out;
        for (String p : raw.split("&")) {
            int i = p.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? p : p.substring(0, i), StandardCharsets.UTF_8);
            out.put(k, i < 0 ? "" : URLDecoder.decode(p.substring(i + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    // ---------------------------------------------------------------- dev mode

    /**
     * Dev mode: {@code --port 14573 --stream name [--stream other] [--access-key k --secret-key s --region r]
     * [--no-auth] [--count-only]}. Prints the endpoint as the single stdout line, then serves until killed.
     */
    public static void main(String[] args) {
        int port = 14573;
        String ak = "test", sk = "test", region = "us-east-1";
        boolean auth = true;
        boolean keep = true;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port": port = Integer.parseInt(args[++i]); break;
                case "--stream": names.add(args[++i]); break;
                case "--access-key": ak = args[++i]; break;
                case "--secret-key": sk = args[++i]; break;
                case "--region": region = args[++i]; break;
                case "--no-auth": auth = false; break;
                case "--count-only": keep = false; break;
                default:
                    System.err.println("usage: FirehoseTestServer [--port N] [--stream NAME]... [--access-key K] "
                            + "[--secret-key S] [--region R] [--no-auth] [--count-only]");
                    System.exit(2);
            }
        }
        FirehoseTestServer s = new FirehoseTestServer(ak, sk, region).auth(auth).keepRecords(keep);
        names.forEach(s::createStream);
        s.start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        System.out.println(s.endpoint());
        System.out.flush();
    }
}
