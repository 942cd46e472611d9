package hookhub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Sends requests to a running hub over loopback and reads its JSON replies. */
public final class HubClient {

    /** Headers java.net.http sets itself and refuses to take from a caller. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Reply(int status, Map<String, java.util.List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("reply is not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** One client for all tests: its connection pool is shared and keeps connections alive. */
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public HubClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Reply send(RawRequest r) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + r.target())).timeout(Duration.ofSeconds(30));
        for (Map.Entry<String, String> h : r.headers()) {
            if (!RESTRICTED.contains(h.getKey().toLowerCase())) {
                b.header(h.getKey(), h.getValue());
            }
        }
        HttpRequest.BodyPublisher body = r.body().length == 0 && !r.method().equals("POST")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body());
        b.method(r.method(), body);
        return execute(b.build());
    }

    public Reply send(String name) {
        return send(RawRequest.resource(name));
    }

    public Reply post(String target, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + target)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return execute(b.build());
    }

    public Reply get(String target) {
        return get(target, Duration.ofSeconds(30));
    }

    public Reply get(String target, Duration timeout) {
        return execute(HttpRequest.newBuilder(URI.create(base + target)).timeout(timeout).GET().build());
    }

    public Reply request(String method, String target, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + target)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return execute(b.build());
    }

    private Reply execute(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new AssertionError("request to the hub failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
