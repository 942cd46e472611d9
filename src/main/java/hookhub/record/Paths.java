package hookhub.record;

import com.fasterxml.jackson.databind.JsonNode;

/** Dotted field paths ("event_value.af_order_id") into a payload; a key that itself contains a dot wins. */
final class Paths {

    private Paths() {
    }

    static JsonNode get(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        JsonNode direct = node.get(path);
        if (direct != null) {
            return direct;
        }
        int dot = path.indexOf('.');
        if (dot < 0) {
            return null;
        }
        return get(node.get(path.substring(0, dot)), path.substring(dot + 1));
    }
}
