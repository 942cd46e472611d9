package hookhub.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Personal data a route declares is replaced before the event is stored: hashed fields become the hex HMAC-SHA256
 * of their value under hookhub's PII key (the same number always gives the same token, so joins still work; without
 * the key it cannot be reversed or guessed from a phone-number list), masked fields keep their first 3 and last 4
 * characters ({@code 01099990001} → {@code 010****0001}).
 */
public final class PiiProtection {

    private final byte[] key;

    public PiiProtection(byte[] key) {
        this.key = key.clone();
    }

    /** Replaces the declared top-level fields in place (each element of a repeated field too). */
    public void apply(ObjectNode payload, List<String> hashFields, List<String> maskFields) {
        for (String f : hashFields) {
            replace(payload, f, this::hash);
        }
        for (String f : maskFields) {
            replace(payload, f, PiiProtection::mask);
        }
    }

    private static void replace(ObjectNode payload, String field, UnaryOperator<String> op) {
        JsonNode v = payload.get(field);
        if (v == null || v.isNull() || v.isContainerNode() && !v.isArray()) {
            return;
        }
        if (v.isArray()) {
            ArrayNode out = payload.arrayNode();
            v.forEach(e -> out.add(e.isNull() ? e : TextNode.valueOf(clear(e, op))));
            payload.set(field, out);
        } else {
            payload.put(field, clear(v, op));
        }
    }

    private static String clear(JsonNode v, UnaryOperator<String> op) {
        String text = v.asText();
        return text.isEmpty() ? "" : op.apply(text);
    }

    String hash(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String mask(String value) {
        int n = value.length();
        if (n <= 7) {
            return "*".repeat(Math.max(0, n - 2)) + value.substring(Math.max(0, n - 2));
        }
        return value.substring(0, 3) + "*".repeat(n - 7) + value.substring(n - 4);
    }
}
