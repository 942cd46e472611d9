package hookhub.cli;

import hookhub.edge.HttpEdge;
import hookhub.edge.IncomingRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A raw HTTP request file as the fixtures write them: a request line {@code METHOD /path?query} (a trailing
 * {@code HTTP/1.1} is tolerated), {@code Name: value} headers, one blank line, then the body bytes to EOF. The head
 * is ASCII with LF line ends (CRLF tolerated); the body is kept byte for byte, because its charset is what
 * {@code try} is there to test.
 */
public record RawHttpRequest(String method, String path, String rawQuery, List<Map.Entry<String, String>> headers, byte[] body) {

    /** @throws IllegalArgumentException saying which line is not what the format expects */
    public static RawHttpRequest parse(byte[] raw) {
        int lf = indexOf(raw, "\n\n");
        int crlf = indexOf(raw, "\r\n\r\n");
        boolean useCrlf = crlf >= 0 && (lf < 0 || crlf < lf);
        int split = useCrlf ? crlf : lf;
        int headEnd = split < 0 ? raw.length : split;
        byte[] body = split < 0 ? new byte[0] : Arrays.copyOfRange(raw, split + (useCrlf ? 4 : 2), raw.length);
        String[] lines = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r?\n");

        String[] first = lines[0].trim().split(" +");
        if (first.length < 2 || first.length > 3 || !first[0].matches("[A-Z]+") || !first[1].startsWith("/")) {
            throw new IllegalArgumentException("line 1 must be 'METHOD /path?query', got '" + lines[0] + "'");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("line " + (i + 1) + " must be a 'Name: value' header, got '" + lines[i] + "'");
            }
            headers.add(Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
        }
        String target = first[1];
        int q = target.indexOf('?');
        return new RawHttpRequest(first[0], q < 0 ? target : target.substring(0, q), q < 0 ? null : target.substring(q + 1),
                List.copyOf(headers), body);
    }

    /** The request as the hub's edge would hand it to the decoder. */
    public IncomingRequest toIncoming(String remoteAddress, long receivedAt) {
        // a client-sent X-Hookhub-Content-Type is discarded by the edge, so it must not count here either
        List<Map.Entry<String, String>> kept = headers.stream()
                .filter(h -> !h.getKey().equalsIgnoreCase(HttpEdge.ORIGINAL_CONTENT_TYPE)).toList();
        String contentType = kept.stream().filter(h -> h.getKey().equalsIgnoreCase("Content-Type"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        return new IncomingRequest(method, path, rawQuery, kept, contentType, body, remoteAddress, receivedAt);
    }

    private static int indexOf(byte[] a, String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i <= a.length - b.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (a[i + j] != b[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
