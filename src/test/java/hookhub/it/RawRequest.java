package hookhub.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A raw HTTP request in the fixture format: request line without version, headers, a blank line, body bytes to EOF
 * (LF line ends, read in binary).
 */
public record RawRequest(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {

    public static RawRequest parse(byte[] raw) {
        int split = indexOf(raw, new byte[] {'\n', '\n'});
        String head = new String(raw, 0, split < 0 ? raw.length : split, StandardCharsets.ISO_8859_1);
        byte[] body = split < 0 ? new byte[0] : java.util.Arrays.copyOfRange(raw, split + 2, raw.length);
        String[] lines = head.split("\n");
        String[] first = lines[0].split(" ", 2);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
            }
        }
        return new RawRequest(first[0], first[1], headers, body);
    }

    public static RawRequest resource(String name) {
        try (InputStream in = RawRequest.class.getResourceAsStream("/requests/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test request " + name);
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String header(String name) {
        return headers.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static int indexOf(byte[] a, byte[] b) {
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
