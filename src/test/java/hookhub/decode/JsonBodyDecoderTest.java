package hookhub.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonBodyDecoderTest {

    private static final Charset MS949 = Charset.forName("x-windows-949");

    /** Shaped like appsflyer_v2_post_json_inapp_purchase.http (subset of its fields). */
    static final String APPSFLYER_PURCHASE = "{\"api_version\":\"2.0\",\"app_id\":\"com.example.shop\","
            + "\"wifi\":true,\"appsflyer_id\":\"1715000000000-1234567890123456789\",\"is_lat\":false,"
            + "\"event_name\":\"af_purchase\",\"event_time\":\"2024-05-14 03:21:09.512\","
            + "\"event_time_selected_timezone\":\"2024-05-14 12:21:09.512+0900\",\"selected_timezone\":\"Asia/Seoul\","
            + "\"event_value\":\"{\\\"af_revenue\\\":\\\"39000\\\",\\\"af_currency\\\":\\\"KRW\\\","
            + "\\\"af_content_id\\\":\\\"SKU-1001\\\",\\\"af_quantity\\\":\\\"1\\\","
            + "\\\"af_order_id\\\":\\\"ORD-20240514-000123\\\"}\",\"event_revenue\":\"39000\","
            + "\"event_revenue_usd\":\"28.63\",\"af_sub1\":null,\"gp_broadcast_referrer\":\"\"}";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<ObjectNode> decode(String s) throws BodyRejected {
        return JsonBodyDecoder.decode(utf8(s), null, new Warnings());
    }

    private static BodyRejected rejected(byte[] body, String charset) {
        BodyRejected e = assertThrows(BodyRejected.class, () -> JsonBodyDecoder.decode(body, charset, new Warnings()));
        assertEquals("invalid_json", e.code());
        return e;
    }

    private static BodyRejected rejected(String body) {
        return rejected(utf8(body), null);
    }

    @Test
    void topLevelObjectIsOneEvent() throws Exception {
        List<ObjectNode> events = decode(APPSFLYER_PURCHASE);
        assertEquals(1, events.size());
        ObjectNode e = events.get(0);
        assertEquals("af_purchase", e.get("event_name").textValue());
        assertTrue(e.get("wifi").isBoolean());
        assertTrue(e.get("af_sub1").isNull());
        assertEquals("", e.get("gp_broadcast_referrer").textValue());
        assertTrue(e.get("event_value").isTextual(), "event_value stays a JSON string until typed");
    }

    @Test
    void topLevelArrayOfObjectsIsOneEventEach() throws Exception {
        List<ObjectNode> events = decode("[{\"n\":1},{\"n\":2},{\"n\":3}]");
        assertEquals(3, events.size());
        assertEquals(3, events.get(2).get("n").intValue());
    }

    @Test
    void nonEventShapesAreRejected() {
        for (String s : new String[] {"[]", "42", "\"text\"", "null", "true", "[{}, 1]", "[[{}]]", " [ ] "}) {
            rejected(s);
        }
        rejected(new byte[0], null);
        rejected(null, null);
        rejected("   \n ");
    }

    @Test
    void syntaxErrorsGiveShortMessageWithLineAndColumn() {
        BodyRejected e = rejected("{\n  \"a\": 1,\n  \"b\": x\n}");
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("column"), e.getMessage());
        assertTrue(e.getMessage().length() < 250, e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void trailingGarbageAndTruncationAreRejected() {
        rejected("{\"a\":1} {\"b\":2}");
        rejected("{\"a\":1}x");
        rejected("{\"a\":1");
        rejected("a=1&b=2");
    }

    @Test
    void utf8BomIsTolerated() throws Exception {
        byte[] body = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("{\"name\":\"홍길동\"}"));
        assertEquals("홍길동", JsonBodyDecoder.decode(body, null, new Warnings()).get(0).get("name").textValue());
        assertEquals("홍길동", JsonBodyDecoder.decode(body, "utf-8", new Warnings()).get(0).get("name").textValue());
    }

    @Test
    void utf16BomsAreHonoured() throws Exception {
        String json = "{\"name\":\"홍길동\"}";
        byte[] be = concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, json.getBytes(StandardCharsets.UTF_16BE));
        byte[] le = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, json.getBytes(StandardCharsets.UTF_16LE));
        assertEquals("홍길동", JsonBodyDecoder.decode(be, null, new Warnings()).get(0).get("name").textValue());
        assertEquals("홍길동", JsonBodyDecoder.decode(le, "UTF-8", new Warnings()).get(0).get("name").textValue());
    }

    @Test
    void declaredEucKrJsonIsDecodedAsMs949() throws Exception {
        byte[] body = "{\"caller_name\":\"홍길동\",\"memo\":\"똠 샾 뷁\"}".getBytes(MS949);
        for (String label : new String[] {"EUC-KR", "ks_c_5601-1987"}) {
            Warnings w = new Warnings();
            ObjectNode e = JsonBodyDecoder.decode(body, label, w).get(0);
            assertEquals("홍길동", e.get("caller_name").textValue(), label);
            assertEquals("똠 샾 뷁", e.get("memo").textValue(), label);
            assertTrue(w.isEmpty(), w::toString);
        }
    }

    @Test
    void declaredEucKrButActuallyUtf8IsReadAsUtf8WithWarning() throws Exception {
        Warnings w = new Warnings();
        ObjectNode e = JsonBodyDecoder.decode(utf8("{\"n\":\"강남구 역삼동\"}"), "euc-kr", w).get(0);
        assertEquals("강남구 역삼동", e.get("n").textValue());
        assertEquals(1, w.list().size(), w::toString);
    }

    @Test
    void unknownDeclaredCharsetWarnsAndReadsUtf8() throws Exception {
        Warnings w = new Warnings();
        ObjectNode e = JsonBodyDecoder.decode(utf8("{\"n\":\"홍\"}"), "xyz", w).get(0);
        assertEquals("홍", e.get("n").textValue());
        assertTrue(w.list().get(0).startsWith("unknown charset 'xyz'"), w::toString);
    }

    @Test
    void invalidUtf8IsRejected() {
        rejected(concat(utf8("{\"n\":\""), new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8("\"}")), "UTF-8");
    }

    @Test
    void largeIntegersKeepEveryDigit() throws Exception {
        ObjectNode e = decode("{\"a\":1234567890123456789012,\"b\":9007199254740993,\"c\":-9223372036854775809}").get(0);
        String out = JsonBodyDecoder.mapper().writeValueAsString(e);
        assertEquals("{\"a\":1234567890123456789012,\"b\":9007199254740993,\"c\":-9223372036854775809}", out);
        assertEquals(9007199254740993L, e.get("b").longValue());
    }

    @Test
    void decimalsKeepTheirExactDigits() throws Exception {
        String in = "{\"usd\":28.63,\"price\":1.10,\"tiny\":0.1,\"zero\":0.00,\"neg\":-12.500,\"long\":3.14159265358979323846264338327950288}";
        ObjectNode e = decode(in).get(0);
        assertEquals(in, JsonBodyDecoder.mapper().writeValueAsString(e));
        assertEquals("1.10", e.get("price").decimalValue().toString());
    }

    @Test
    void tenThousandDeepNestingIsRejectedQuicklyNotByStackOverflow() {
        String arrays = "[".repeat(10_000) + "]".repeat(10_000);
        StringBuilder objects = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            objects.append("{\"a\":");
        }
        objects.append("1").append("}".repeat(10_000));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (String s : new String[] {arrays, objects.toString()}) {
                BodyRejected e = rejected(s);
                assertTrue(e.getMessage().contains("too deeply nested"), e.getMessage());
                assertFalse(JsonBodyDecoder.looksLikeJson(utf8(s)));
            }
        });
    }

    @Test
    void nestingLimitIsTwoHundredLevels() throws Exception {
        // the outer object is level 1: 199 arrays inside make 200 levels (allowed), 200 arrays make 201
        assertEquals(1, decode("{\"a\":" + "[".repeat(199) + "]".repeat(199) + "}").size());
        BodyRejected e = rejected("{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}");
        assertTrue(e.getMessage().contains("too deeply nested"), e.getMessage());
    }

    @Test
    void moderateNestingIsFine() throws Exception {
        String s = "{\"a\":" + "[".repeat(150) + "]".repeat(150) + "}";
        assertEquals(1, decode(s).size());
    }

    @Test
    void tooManyTokensIsRejected() {
        String s = "{\"a\":[" + "1,".repeat(100_001) + "1]}";
        BodyRejected e = rejected(s);
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void looksLikeJson() {
        assertTrue(JsonBodyDecoder.looksLikeJson(utf8("{\"a\":1}")));
        assertTrue(JsonBodyDecoder.looksLikeJson(utf8(" \r\n\t[{\"a\":1}]")));
        assertTrue(JsonBodyDecoder.looksLikeJson(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("{}"))));
        assertFalse(JsonBodyDecoder.looksLikeJson(utf8("a=1&b=2")));
        assertFalse(JsonBodyDecoder.looksLikeJson(utf8("{broken")));
        assertFalse(JsonBodyDecoder.looksLikeJson(utf8("{\"a\":1}&b=2")));
        assertFalse(JsonBodyDecoder.looksLikeJson(utf8("42")));
        assertFalse(JsonBodyDecoder.looksLikeJson(new byte[0]));
        assertFalse(JsonBodyDecoder.looksLikeJson(null));
        assertFalse(JsonBodyDecoder.looksLikeJson(utf8("   ")));
    }

    @Test
    void mapperIsShared() throws Exception {
        assertTrue(JsonBodyDecoder.mapper() == JsonBodyDecoder.mapper());
        JsonNode n = JsonBodyDecoder.mapper().readTree("{\"x\":1.10}");
        assertEquals("{\"x\":1.10}", JsonBodyDecoder.mapper().writeValueAsString(n));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
