package hookhub.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hookhub.decode.CanonicalJson;
import hookhub.decode.JsonBodyDecoder;
import hookhub.decode.Warnings;
import java.util.List;

/**
 * The stable event id: the same for every redelivery of the same event, whatever method, charset or key order it
 * came with. From the route's dedup key when it declares one (a single field's value as is, several fields hashed
 * together), else the SHA-256 of the canonical payload (keys sorted, no whitespace).
 */
public final class EventIdentity {

    /** Longer single-field values are hashed so ids stay usable as keys and file-name material. */
    private static final int MAX_PLAIN_ID = 200;

    private EventIdentity() {
    }

    public static String idOf(ObjectNode payload, List<String> dedupKey, Warnings warnings) {
        if (dedupKey.isEmpty()) {
            return CanonicalJson.sha256Hex(payload);
        }
        ArrayNode values = JsonBodyDecoder.mapper().createArrayNode();
        boolean any = false;
        for (String path : dedupKey) {
            JsonNode v = Paths.get(payload, path);
            if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
                values.addNull();
            } else {
                values.add(v);
                any = true;
            }
        }
        if (!any) {
            warnings.add("dedup key " + dedupKey + " is missing; the id is the payload hash");
            return CanonicalJson.sha256Hex(payload);
        }
        if (dedupKey.size() == 1 && values.get(0).isValueNode()) {
            String plain = values.get(0).asText();
            if (plain.length() <= MAX_PLAIN_ID && plain.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
                return plain;
            }
        }
        return CanonicalJson.sha256Hex(values);
    }
}
