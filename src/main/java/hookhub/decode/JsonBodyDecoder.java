package hookhub.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** JSON bodies. */
public final class JsonBodyDecoder {

    static final int MAX_DEPTH = 200;
    static final long MAX_TOKENS = 100_000;

    /**
     * Hostile bodies must fail fast in the parser (depth, token count) rather than on the stack or heap. Numbers stay
     * exact: ids above 2^53 and money like 28.63 / 1.10 must come out with the digits they came in with.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxTokenCount(MAX_TOKENS)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private JsonBodyDecoder() {
    }

    /** The ObjectMapper configured as above (shared, thread-safe); other packages reuse it to write records. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Decodes a JSON body into events: a top-level object is one event, a top-level array of objects one event each.
     * Anything else is rejected with code "invalid_json".
     */
    public static List<ObjectNode> decode(byte[] body, String declaredCharset, Warnings warnings) throws BodyRejected {
        JsonNode root = readTree(body, declaredCharset, warnings == null ? new Warnings() : warnings);
        if (root.isObject()) {
            List<ObjectNode> one = new ArrayList<>(1);
            one.add((ObjectNode) root);
            return one;
        }
        if (root.isArray()) {
            if (root.isEmpty()) {
                throw new BodyRejected("invalid_json", "empty JSON array: no events");
            }
            List<ObjectNode> events = new ArrayList<>(root.size());
            int i = 0;
            for (JsonNode n : root) {
                if (!n.isObject()) {
                    throw new BodyRejected("invalid_json",
                            "JSON array element " + i + " is " + kind(n) + ", expected an object");
                }
                events.add((ObjectNode) n);
                i++;
            }
            return events;
        }
        throw new BodyRejected("invalid_json", "top-level JSON " + kind(root) + ", expected an object or an array of objects");
    }

    /**
     * True when the bytes (after optional BOM and whitespace) start with '{' or '[' and parse as JSON: detects a body
     * labelled form that is plainly JSON. Cheap for non-JSON: one byte decides; no tree is built either way.
     */
    public static boolean looksLikeJson(byte[] body) {
        if (body == null) {
            return false;
        }
        int i = body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF ? 3 : 0;
        while (i < body.length && isJsonSpace(body[i])) {
            i++;
        }
        if (i == body.length || (body[i] != '{' && body[i] != '[')) {
            return false;
        }
        try (JsonParser p = MAPPER.getFactory().createParser(body, i, body.length - i)) {
            while (p.nextToken() != null) {
                // streaming through the tokens validates syntax, depth and token limits without building nodes
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static JsonNode readTree(byte[] body, String declaredCharset, Warnings warnings) throws BodyRejected {
        if (body == null || body.length == 0) {
            throw new BodyRejected("invalid_json", "empty body");
        }
        JsonNode root;
        try {
            root = parse(body, declaredCharset, warnings);
        } catch (StreamConstraintsException e) {
            String m = String.valueOf(e.getOriginalMessage());
            throw new BodyRejected("invalid_json", m.contains("depth")
                    ? "JSON too deeply nested (more than " + MAX_DEPTH + " levels)"
                    : m.contains("oken count")
                    ? "JSON too large (more than " + MAX_TOKENS + " tokens)"
                    : "JSON exceeds limits: " + shorten(m));
        } catch (JsonProcessingException e) {
            throw new BodyRejected("invalid_json", describe(e));
        } catch (IOException e) {
            throw new BodyRejected("invalid_json", "unreadable JSON: " + shorten(String.valueOf(e.getMessage())));
        }
        if (root == null || root.isMissingNode()) {
            throw new BodyRejected("invalid_json", "empty body");
        }
        return root;
    }

    /** Byte-order marks win over the declared label (the sender's encoder wrote them); otherwise the label, then UTF-8. */
    private static JsonNode parse(byte[] body, String declaredCharset, Warnings warnings)
            throws IOException, BodyRejected {
        int b0 = body[0] & 0xff;
        int b1 = body.length > 1 ? body[1] & 0xff : -1;
        if (b0 == 0xEF && b1 == 0xBB && body.length > 2 && (body[2] & 0xff) == 0xBF) {
            return MAPPER.readTree(body, 3, body.length - 3);
        }
        if (b0 == 0xFE && b1 == 0xFF) {
            return MAPPER.readTree(new String(body, 2, body.length - 2, StandardCharsets.UTF_16BE));
        }
        if (b0 == 0xFF && b1 == 0xFE) {
            return MAPPER.readTree(new String(body, 2, body.length - 2, StandardCharsets.UTF_16LE));
        }
        Charset cs = null;
        if (declaredCharset != null && !declaredCharset.isBlank()) {
            cs = CharsetLabels.forLabel(declaredCharset);
            if (cs == null) {
                warnings.add("unknown charset " + Warnings.quote(declaredCharset.strip()) + " (declared), read as UTF-8");
            }
        }
        if (cs == null || cs.equals(StandardCharsets.UTF_8)) {
            // Jackson accepts overlong forms (C0 AF would become '/'), so validate strictly first; it is one cheap pass.
            if (!CharsetChoice.isValidUtf8(body)) {
                throw new BodyRejected("invalid_json", "body is not valid UTF-8");
            }
            return MAPPER.readTree(body);
        }
        return MAPPER.readTree(decodeDeclared(body, cs, warnings));
    }

    /**
     * A body in its declared charset. A sender that declares EUC-KR but actually sends UTF-8 is a known legacy mistake:
     * if the bytes are invalid in the declared charset yet valid UTF-8, read them as UTF-8 and say so.
     */
    private static String decodeDeclared(byte[] body, Charset cs, Warnings warnings) throws BodyRejected {
        try {
            return cs.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            if (CharsetChoice.isValidUtf8(body)) {
                warnings.add("body is not valid " + CharsetLabels.displayName(cs) + " as declared; read as UTF-8");
                return new String(body, StandardCharsets.UTF_8);
            }
            throw new BodyRejected("invalid_json", "body is not valid " + CharsetLabels.displayName(cs) + " as declared");
        }
    }

    /** "Unexpected character ... at line 1, column 12": Jackson's first message line plus the location, kept short. */
    private static String describe(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            m = "malformed JSON";
        }
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        StringBuilder b = new StringBuilder(shorten(m));
        JsonLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            b.append(" at line ").append(loc.getLineNr()).append(", column ").append(loc.getColumnNr());
        }
        return b.toString();
    }

    private static String shorten(String m) {
        return m.length() <= 160 ? m : m.substring(0, 157) + "...";
    }

    private static String kind(JsonNode n) {
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isNull()) {
            return "null";
        }
        return "a " + n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static boolean isJsonSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
