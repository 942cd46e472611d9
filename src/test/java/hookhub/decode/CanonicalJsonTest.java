package hookhub.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    private static JsonNode json(String s) throws Exception {
        return JsonBodyDecoder.mapper().readTree(s);
    }

    @Test
    void sortedCompactOutput() throws Exception {
        assertEquals("{\"a\":[3,1,{\"x\":null,\"y\":true}],\"b\":\"t\",\"c\":28.63}",
                CanonicalJson.write(json("{ \"c\": 28.63, \"b\": \"t\", \"a\": [3, 1, {\"y\": true, \"x\": null}] }")));
    }

    @Test
    void reorderedAndPrettyPrintedInputsHashEqual() throws Exception {
        JsonNode a = json("{\"call_id\":\"20240514153012-050712340001-000123\",\"duration\":208,"
                + "\"caller_name\":\"홍길동\",\"ev\":{\"af_revenue\":\"39000\",\"af_currency\":\"KRW\"}}");
        JsonNode b = json("{\n  \"ev\" : {\n    \"af_currency\" : \"KRW\",\n    \"af_revenue\" : \"39000\"\n  },\n"
                + "  \"caller_name\" : \"홍길동\",\n  \"duration\" : 208,\n"
                + "  \"call_id\" : \"20240514153012-050712340001-000123\"\n}");
        assertEquals(CanonicalJson.write(a), CanonicalJson.write(b));
        assertEquals(CanonicalJson.sha256Hex(a), CanonicalJson.sha256Hex(b));
    }

    @Test
    void differentValuesHashDifferently() throws Exception {
        String base = CanonicalJson.sha256Hex(json("{\"a\":\"1\",\"b\":[1,2]}"));
        assertNotEquals(base, CanonicalJson.sha256Hex(json("{\"a\":\"2\",\"b\":[1,2]}")));
        assertNotEquals(base, CanonicalJson.sha256Hex(json("{\"a\":1,\"b\":[1,2]}")), "string vs number");
        assertNotEquals(base, CanonicalJson.sha256Hex(json("{\"a\":\"1\",\"b\":[2,1]}")), "array order matters");
        assertNotEquals(base, CanonicalJson.sha256Hex(json("{\"a\":\"1\",\"b\":[1,2],\"c\":null}")));
    }

    @Test
    void hashIsLowerHexSha256OfCanonicalUtf8() throws Exception {
        JsonNode n = json("{\"b\":\"강남\",\"a\":1}");
        byte[] d = MessageDigest.getInstance("SHA-256")
                .digest("{\"a\":1,\"b\":\"강남\"}".getBytes(StandardCharsets.UTF_8));
        String h = CanonicalJson.sha256Hex(n);
        assertEquals(HexFormat.of().formatHex(d), h);
        assertTrue(h.matches("[0-9a-f]{64}"), h);
    }

    @Test
    void numbersAreExactAndPlain() throws Exception {
        assertEquals("[1234567890123456789012,9007199254740993,1.10,0.000001,-5]",
                CanonicalJson.write(json("[1234567890123456789012,9007199254740993,1.10,1E-6,-5]")));
        assertEquals("[100]", CanonicalJson.write(json("[1E+2]")));
        assertEquals("[1.5]", CanonicalJson.write(JsonNodeFactory.instance.arrayNode().add(1.5d)));
        // an absurd exponent stays short instead of expanding to a billion digits
        ObjectNode huge = JsonNodeFactory.instance.objectNode();
        huge.put("x", new BigDecimal("1E+999999999"));
        assertTrue(CanonicalJson.write(huge).length() < 40);
    }

    @Test
    void stringsUseStandardEscaping() throws Exception {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("s", "q\"b\\n\nr\rt\tz\u0000\u001f/é강");
        assertEquals("{\"s\":\"q\\\"b\\\\n\\nr\\rt\\tz\\u0000\\u001f/é강\"}", CanonicalJson.write(o));
        assertEquals(o, json(CanonicalJson.write(o)), "round-trips");
    }

    @Test
    void keysSortByUtf16CodeUnits() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("\uFF61", 1);          // U+FF61
        o.put("\uD83D\uDE00", 2);    // U+1F600: sorts first by UTF-16 units (D83D < FF61), last by code point
        o.put("B", 3);
        o.put("a", 4);
        o.put("", 5);
        assertEquals("{\"\":5,\"B\":3,\"a\":4,\"\uD83D\uDE00\":2,\"\uFF61\":1}", CanonicalJson.write(o));
    }

    @Test
    void formDecodedUtf8AndEucKrBodiesHashEqual() {
        JsonNode a = FormDecoder.decode(FormDecoderTest.CALL050_UTF8.getBytes(StandardCharsets.US_ASCII), "UTF-8", null).fields();
        JsonNode b = FormDecoder.decode(FormDecoderTest.CALL050_EUCKR.getBytes(StandardCharsets.US_ASCII), "EUC-KR", null).fields();
        assertEquals(CanonicalJson.sha256Hex(a), CanonicalJson.sha256Hex(b));
    }
}
