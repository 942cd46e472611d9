package hookhub.decode;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Canonical JSON and content hashes, used for stable event ids: the same JSON pretty-printed or with reordered keys
 * gives the same text, hence the same hash. Written by hand rather than with a configured ObjectMapper so the output
 * cannot drift with Jackson settings (number formats, escaping) that other code might change.
 */
public final class CanonicalJson {

    /** BigDecimal plain text beyond this scale would be huge ("1e-999999999"); such numbers keep their E notation. */
    private static final int MAX_PLAIN_SCALE = 1000;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {
    }

    /**
     * Object keys sorted by UTF-16 code units (String.compareTo), recursively; no whitespace; numbers as exact plain
     * digits; strings with standard JSON escaping.
     */
    public static String write(JsonNode node) {
        StringBuilder b = new StringBuilder(256);
        write(node, b);
        return b.toString();
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of write(node). */
    public static String sha256Hex(JsonNode node) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] d = md.digest(write(node).getBytes(StandardCharsets.UTF_8));
        char[] out = new char[d.length * 2];
        for (int i = 0; i < d.length; i++) {
            out[2 * i] = HEX[(d[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[d[i] & 0xf];
        }
        return new String(out);
    }

    private static void write(JsonNode n, StringBuilder b) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            b.append("null");
        } else if (n.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(n.properties());
            fields.sort(Map.Entry.comparingByKey());
            b.append('{');
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                string(fields.get(i).getKey(), b);
                b.append(':');
                write(fields.get(i).getValue(), b);
            }
            b.append('}');
        } else if (n.isArray()) {
            b.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                write(n.get(i), b);
            }
            b.append(']');
        } else if (n.isIntegralNumber()) {
            b.append(n.bigIntegerValue());
        } else if (n.isNumber()) {
            number(n, b);
        } else if (n.isBoolean()) {
            b.append(n.booleanValue());
        } else {
            string(n.asText(), b); // text, and binary/POJO nodes by their text form
        }
    }

    private static void number(JsonNode n, StringBuilder b) {
        if ((n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue())) {
            string(Double.toString(n.doubleValue()), b); // NaN/Infinity are not JSON numbers
            return;
        }
        // Doubles via their shortest decimal text (BigDecimal(double) would expose binary noise).
        BigDecimal d = n.isBigDecimal() ? n.decimalValue() : new BigDecimal(n.asText());
        b.append(Math.abs(d.scale()) <= MAX_PLAIN_SCALE ? d.toPlainString() : d.toString());
    }

    private static void string(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                case '\b':
                    b.append("\\b");
                    break;
                case '\f':
                    b.append("\\f");
                    break;
                default:
                    if (c < 0x20) {
                        b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
    }
}
