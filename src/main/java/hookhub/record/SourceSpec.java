package hookhub.record;

import hookhub.decode.FieldType;
import hookhub.decode.FieldTypes;
import hookhub.decode.TimestampFormat;
import hookhub.security.AuthSpec;
import hookhub.security.Cidr;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a vendor route file declares about its source (the hookhub-source Kamelet's parameters), parsed once.
 *
 * @param source        name: URL path /webhooks/{source}, record field "source", dedup namespace
 * @param charset       default charset for forms and query strings without a declared one (blank: detect)
 * @param dedupKey      payload fields (dotted paths) whose values identify an event; empty: hash of the payload
 * @param eventTime     payload field holding the event's time, or null
 * @param timestamps    how eventTime and fields typed "timestamp" are written
 * @param types         declared field types
 * @param recordHeaders request headers to copy into meta.headers (none by default)
 * @param auth          who may send to this source (token, address allowlist, signature)
 * @param hashFields    personal data replaced by a keyed hash before storing
 * @param maskFields    personal data masked before storing
 */
public record SourceSpec(String source, String charset, List<String> dedupKey, String eventTime, TimestampFormat timestamps,
        Map<String, FieldType> types, List<String> recordHeaders, AuthSpec auth, List<String> hashFields, List<String> maskFields) {

    /** The hookhub-source Kamelet's parameters. */
    public static final List<String> PARAMETERS = List.of("source", "charset", "dedupKey", "eventTime", "timestampPattern",
            "timestampZone", "types", "recordHeaders", "tokens", "tokenHeader", "tokenQuery", "tokenInPath", "allowFrom",
            "hmacSecret", "hmacHeader", "hmacAlgorithm", "hmacEncoding", "hmacPrefix", "hmacTimestampHeader", "hmacTolerance",
            "hashFields", "maskFields");

    /** From the Kamelet's parameters by name (missing ones take their defaults). */
    public static SourceSpec fromParameters(Map<String, String> p) {
        for (String name : p.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new IllegalArgumentException("unknown hookhub-source parameter '" + name + "'; known: " + PARAMETERS);
            }
        }
        String source = p.get("source");
        if (source == null || !source.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            throw new IllegalArgumentException("source must be 1-64 lower-case letters, digits, '-' or '_': '" + source + "'");
        }
        List<String> hash = list(p.get("hashFields"));
        List<String> mask = list(p.get("maskFields"));
        return new SourceSpec(source, blankToNull(p.get("charset")), list(p.get("dedupKey")), blankToNull(p.get("eventTime")),
                TimestampFormat.of(blankToNull(p.get("timestampPattern")), blankToNull(p.get("timestampZone"))),
                FieldTypes.parse(p.get("types")), list(p.get("recordHeaders")), auth(p), hash, mask);
    }

    private static AuthSpec auth(Map<String, String> p) {
        List<String> tokens = list(p.get("tokens"));
        String header = blankToNull(p.get("tokenHeader"));
        String query = blankToNull(p.get("tokenQuery"));
        boolean inPath = Boolean.parseBoolean(blankToNull(p.get("tokenInPath")));
        if (!tokens.isEmpty() && header == null && query == null && !inPath) {
            throw new IllegalArgumentException("tokens are set but not where they come from: set tokenHeader, tokenQuery or tokenInPath");
        }
        List<Cidr> allow = list(p.get("allowFrom")).stream().map(Cidr::parse).toList();
        AuthSpec.HmacSpec hmac = null;
        String secret = blankToNull(p.get("hmacSecret"));
        if (secret != null) {
            String hmacHeader = blankToNull(p.get("hmacHeader"));
            if (hmacHeader == null) {
                throw new IllegalArgumentException("hmacSecret is set: hmacHeader must name the signature header");
            }
            String encoding = orDefault(p.get("hmacEncoding"), "hex");
            if (!encoding.equals("hex") && !encoding.equals("base64")) {
                throw new IllegalArgumentException("hmacEncoding must be hex or base64, got '" + encoding + "'");
            }
            String algorithm = orDefault(p.get("hmacAlgorithm"), "HmacSHA256");
            try {
                javax.crypto.Mac.getInstance(algorithm);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalArgumentException("hmacAlgorithm '" + algorithm + "' is not available (HmacSHA256, HmacSHA1, HmacSHA512)");
            }
            hmac = new AuthSpec.HmacSpec(secret, hmacHeader, algorithm, encoding, orDefault(p.get("hmacPrefix"), ""),
                    blankToNull(p.get("hmacTimestampHeader")), Duration.ofSeconds(Long.parseLong(orDefault(p.get("hmacTolerance"), "300"))));
        }
        return new AuthSpec(tokens, header, query, inPath, allow, hmac);
    }

    private static List<String> list(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    private static String orDefault(String s, String def) {
        String v = blankToNull(s);
        return v == null ? def : v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
