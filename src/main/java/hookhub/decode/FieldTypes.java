package hookhub.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Declared field types from a route file. Everything from a form or query arrives as text; a route says which
 * fields are numbers, flags, times or embedded JSON, and those are converted here. A value that does not fit its
 * type is never dropped: the sender's text is kept and a warning says so.
 */
public final class FieldTypes {

    /** Longer numeric text is not a number any vendor sends; refusing it keeps BigInteger/BigDecimal parsing cheap. */
    private static final int MAX_NUMBER_TEXT = 1000;

    private FieldTypes() {
    }

    /**
     * Parses e.g. "duration:int, ring_sec:int, event_value:json, start_time:timestamp". Entries are separated by
     * whitespace or commas; each is {@code name:type}, split on the LAST ':' because names may contain ':'
     * (adbrix's abx:order_sales). Blank/null -> empty map.
     *
     * @throws IllegalArgumentException naming the entry for an unknown type, a missing name or a field declared twice
     */
    public static Map<String, FieldType> parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return Collections.emptyMap();
        }
        Map<String, FieldType> types = new LinkedHashMap<>();
        int i = 0;
        int n = spec.length();
        while (i < n) {
            while (i < n && isSeparator(spec.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSeparator(spec.charAt(i))) {
                i++;
            }
            if (i > start) {
                String entry = spec.substring(start, i);
                int colon = entry.lastIndexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("field type entry '" + entry + "' is not name:type");
                }
                FieldType type = typeOf(entry.substring(colon + 1), entry);
                if (types.put(entry.substring(0, colon), type) != null) {
                    throw new IllegalArgumentException("field type entry '" + entry + "': field declared twice");
                }
            }
        }
        return Collections.unmodifiableMap(types);
    }

    /**
     * Applies the declared types to top-level fields of {@code payload}, in place. Absent fields, JSON nulls and
     * empty strings are left alone (an empty time is absent, not an error); arrays from repeated keys are typed
     * element-wise.
     */
    public static void apply(ObjectNode payload, Map<String, FieldType> types, TimestampFormat timestamps,
                             Warnings warnings) {
        if (payload == null || types == null || types.isEmpty()) {
            return;
        }
        TimestampFormat ts = timestamps != null ? timestamps : TimestampFormat.of(null, null);
        for (Map.Entry<String, FieldType> e : types.entrySet()) {
            String name = e.getKey();
            JsonNode value = payload.get(name);
            if (value == null) {
                continue;
            }
            if (value.isArray()) {
                ArrayNode arr = (ArrayNode) value;
                for (int i = 0; i < arr.size(); i++) {
                    arr.set(i, convert(arr.get(i), name, e.getValue(), ts, warnings));
                }
            } else {
                payload.set(name, convert(value, name, e.getValue(), ts, warnings));
            }
        }
    }

    /** The typed node, or {@code v} itself when it already fits, is empty/null, or does not fit (with a warning). */
    private static JsonNode convert(JsonNode v, String name, FieldType type, TimestampFormat ts, Warnings warnings) {
        if (v.isNull() || v.isMissingNode() || (v.isTextual() && v.textValue().isEmpty())) {
            return v;
        }
        JsonNode typed;
        switch (type) {
            case STRING:
                typed = toText(v);
                break;
            case INT:
                typed = toInt(v);
                break;
            case DECIMAL:
                typed = toDecimal(v);
                break;
            case BOOL:
                typed = toBool(v);
                break;
            case TIMESTAMP:
                typed = toTimestamp(v, ts);
                break;
            default:
                typed = toJson(v);
                if (typed == null) {
                    warnings.add("field " + Warnings.quote(name) + " is not valid JSON; kept as text");
                    return v;
                }
                return typed;
        }
        if (typed == null) {
            warnings.add("field " + Warnings.quote(name) + " is not a valid " + type.name().toLowerCase(Locale.ROOT)
                    + "; kept as " + (v.isTextual() ? "text" : "is"));
            return v;
        }
        return typed;
    }

    /** Numbers and booleans become their JSON text, so a declared string has one JSON type; containers do not fit. */
    private static JsonNode toText(JsonNode v) {
        if (v.isTextual()) {
            return v;
        }
        if (v.isBigDecimal()) {
            return TextNode.valueOf(v.decimalValue().toString());
        }
        return v.isValueNode() ? TextNode.valueOf(v.asText()) : null;
    }

    private static JsonNode toInt(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v;
        }
        BigInteger value = null;
        if (v.isNumber()) { // 5.0 in a JSON body is still the integer 5; 5.5 is not
            try {
                value = v.decimalValue().toBigIntegerExact();
            } catch (ArithmeticException e) {
                return null;
            }
        } else if (v.isTextual()) {
            String s = v.textValue().strip();
            if (!isInteger(s)) {
                return null;
            }
            value = new BigInteger(s); // "00123" -> 123: fine for counters; ids like phone numbers are never declared int
        }
        if (value == null) {
            return null;
        }
        if (value.bitLength() < 32) {
            return IntNode.valueOf(value.intValue());
        }
        return value.bitLength() < 64 ? LongNode.valueOf(value.longValue()) : BigIntegerNode.valueOf(value);
    }

    private static JsonNode toDecimal(JsonNode v) {
        if (v.isNumber()) {
            return v;
        }
        if (!v.isTextual()) {
            return null;
        }
        String s = v.textValue().strip();
        if (!isDecimal(s)) {
            return null;
        }
        // DecimalNode.valueOf keeps scale exactly: "1.10" stays 1.10 (a node factory could strip trailing zeros).
        return DecimalNode.valueOf(new BigDecimal(s));
    }

    private static JsonNode toBool(JsonNode v) {
        if (v.isBoolean()) {
            return v;
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToInt() && (v.intValue() == 0 || v.intValue() == 1) ? BooleanNode.valueOf(v.intValue() == 1) : null;
        }
        if (!v.isTextual()) {
            return null;
        }
        switch (v.textValue().strip().toLowerCase(Locale.ROOT)) {
            case "true":
            case "1":
            case "yes":
                return BooleanNode.TRUE;
            case "false":
            case "0":
            case "no":
                return BooleanNode.FALSE;
            default:
                return null;
        }
    }

    /** Epoch numbers in a JSON body are read as text through the same format. */
    private static JsonNode toTimestamp(JsonNode v, TimestampFormat ts) {
        String text;
        if (v.isTextual()) {
            text = v.textValue();
        } else if (v.isIntegralNumber()) {
            text = v.bigIntegerValue().toString();
        } else if (v.isNumber()) {
            text = v.decimalValue().toPlainString();
        } else {
            return null;
        }
        OffsetDateTime t = ts.parse(text);
        return t == null ? null : TextNode.valueOf(TimestampFormat.format(t));
    }

    /** Parsed JSON replacing the text (AppsFlyer's event_value is a JSON string); containers already are JSON. */
    private static JsonNode toJson(JsonNode v) {
        if (!v.isTextual()) {
            return v;
        }
        try {
            JsonNode parsed = JsonBodyDecoder.mapper().readTree(v.textValue());
            return parsed == null || parsed.isMissingNode() ? null : parsed;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static boolean isInteger(String s) {
        int n = s.length();
        int i = n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        if (i == n || n > MAX_NUMBER_TEXT) {
            return false;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Plain decimal text: optional sign, digits, optional fraction; no exponent, NaN or hex. */
    private static boolean isDecimal(String s) {
        int n = s.length();
        int i = n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        if (n > MAX_NUMBER_TEXT) {
            return false;
        }
        int digits = 0;
        boolean dot = false;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return false;
            }
        }
        return digits > 0;
    }

    private static FieldType typeOf(String t, String entry) {
        switch (t.toLowerCase(Locale.ROOT)) {
            case "string":
            case "text":
                return FieldType.STRING;
            case "int":
            case "integer":
            case "long":
                return FieldType.INT;
            case "decimal":
            case "number":
                return FieldType.DECIMAL;
            case "bool":
            case "boolean":
                return FieldType.BOOL;
            case "timestamp":
                return FieldType.TIMESTAMP;
            case "json":
                return FieldType.JSON;
            default:
                throw new IllegalArgumentException("field type entry '" + entry + "': unknown type '" + t
                        + "' (expected string, int, decimal, bool, timestamp or json)");
        }
    }

    private static boolean isSeparator(char c) {
        return c == ',' || Character.isWhitespace(c);
    }
}
