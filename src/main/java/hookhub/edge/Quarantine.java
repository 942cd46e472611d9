package hookhub.edge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hookhub.decode.JsonBodyDecoder;
import hookhub.security.Cidr;
import hookhub.security.SourceAuth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every rejected request so nothing a vendor sent is lost: {@code <name>.http} holds the request in the
 * fixture format (request line, headers, blank line, body bytes) minus credentials, so it can be replayed with
 * {@code try} or curl once the route is fixed; {@code <name>.json} says why it was rejected.
 */
public final class Quarantine {

    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("HHmmss.SSS").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final long maxBodyBytes;
    private final long maxTotalBytes;
    private final List<Cidr> trustedProxies;
    /** Bytes written so far (the directory's size at start plus what this process wrote). */
    private final java.util.concurrent.atomic.AtomicLong used = new java.util.concurrent.atomic.AtomicLong();
    private final RateLimitedLog full = new RateLimitedLog(LOG, 1);

    /**
     * @param maxTotalBytes once the quarantine holds this much, rejected requests keep only their reason file: a
     *                      flood of bad requests must not fill the disk the store needs
     */
    public Quarantine(Path dir, long maxBodyBytes, long maxTotalBytes, List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
        this.dir = dir;
        this.maxBodyBytes = maxBodyBytes;
        this.maxTotalBytes = maxTotalBytes;
        used.set(sizeOf(dir));
    }

    private static long sizeOf(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    public Path dir() {
        return dir;
    }

    /** A source's own credential locations, redacted besides the usual ones (Authorization, token=, …). */
    public record Redaction(java.util.Set<String> headers, java.util.Set<String> parameters, String pathPrefix) {
        public static final Redaction NONE = new Redaction(java.util.Set.of(), java.util.Set.of(), null);
    }

    /** Stores the request and its rejection; returns the base name, or null when even that failed (logged). */
    public String keep(IncomingRequest request, int status, String code, String message, String source) {
        return keep(request, status, code, message, source, Redaction.NONE);
    }

    public String keep(IncomingRequest request, int status, String code, String message, String source, Redaction redaction) {
        Instant at = Instant.ofEpochMilli(request.receivedAt());
        String name = STAMP.format(at) + "-" + status + "-" + code + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
        try {
            Path day = dir.resolve("dt=" + DAY.format(at));
            Files.createDirectories(day);
            boolean keepRequest = used.get() < maxTotalBytes;
            if (keepRequest) {
                byte[] raw = httpBytes(request, redaction);
                writeAtomically(day.resolve(name + ".http"), raw);
                used.addAndGet(raw.length);
            } else {
                full.warn("full", "Quarantine holds {} bytes (hookhub.quarantine.max-bytes): rejected requests keep only their reason",
                        used.get());
            }
            ObjectNode meta = JsonBodyDecoder.mapper().createObjectNode();
            meta.put("status", status);
            meta.put("error", code);
            meta.put("message", message);
            meta.put("source", source);
            meta.put("received_at", at.toString());
            // the client as allowFrom and records see it (X-Forwarded-For from a trusted proxy), and the proxy if any
            String client = SourceAuth.clientAddress(request, trustedProxies);
            meta.put("remote_addr", client);
            if (!java.util.Objects.equals(client, request.remoteAddress())) {
                meta.put("peer_addr", request.remoteAddress());
            }
            meta.put("body_bytes", request.body().length);
            meta.put("request_kept", keepRequest);
            writeAtomically(day.resolve(name + ".json"), JsonBodyDecoder.mapper().writeValueAsBytes(meta));
            return name;
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not quarantine a rejected request ({} {}): {}", status, code, e.toString());
            return null;
        }
    }

    private byte[] httpBytes(IncomingRequest r, Redaction redaction) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(r.body().length + 512);
        StringBuilder head = new StringBuilder();
        head.append(r.method()).append(' ').append(redactPath(r.path(), redaction.pathPrefix()));
        if (r.rawQuery() != null && !r.rawQuery().isEmpty()) {
            head.append('?').append(redactQuery(r.rawQuery(), redaction.parameters()));
        }
        head.append('\n');
        for (Map.Entry<String, String> h : r.headers()) {
            boolean secret = Credentials.isSecretHeader(h.getKey())
                    || redaction.headers().stream().anyMatch(n -> n.equalsIgnoreCase(h.getKey()));
            String value = secret ? "[redacted]" : h.getValue();
            head.append(h.getKey()).append(": ").append(value.replace('\r', ' ').replace('\n', ' ')).append('\n');
        }
        head.append('\n');
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        int n = (int) Math.min(r.body().length, maxBodyBytes);
        out.write(r.body(), 0, n);
        return out.toByteArray();
    }

    /** With a token in the path, the segment after the prefix (/webhooks/&lt;source&gt;/) is the token. */
    static String redactPath(String path, String prefix) {
        if (prefix == null || !path.startsWith(prefix) || path.length() == prefix.length()) {
            return path;
        }
        int end = path.indexOf('/', prefix.length());
        return prefix + "[token]" + (end < 0 ? "" : path.substring(end));
    }

    /** Replaces the values of credential-like query parameters, keeping everything else byte-exact. */
    static String redactQuery(String rawQuery, java.util.Set<String> extra) {
        StringBuilder sb = new StringBuilder(rawQuery.length());
        for (String pair : rawQuery.split("&", -1)) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            sb.append(eq >= 0 && (Credentials.isSecretParameter(name) || extra.contains(name)) ? name + "=[redacted]" : pair);
        }
        return sb.toString();
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
