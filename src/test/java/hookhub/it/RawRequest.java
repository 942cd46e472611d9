package hookhub.it;

import hookhub.cli.RawHttpRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * A raw HTTP request in the fixture format: request line without version, headers, a blank line, body bytes to EOF
 * (LF line ends, read in binary).
 */
public record RawRequest(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {

    /** Parsed by the same code the {@code try} command uses. */
    public static RawRequest parse(byte[] raw) {
        RawHttpRequest r = RawHttpRequest.parse(raw);
        String target = r.rawQuery() == null || r.rawQuery().isEmpty() ? r.path() : r.path() + "?" + r.rawQuery();
        return new RawRequest(r.method(), target, r.headers(), r.body());
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
}
