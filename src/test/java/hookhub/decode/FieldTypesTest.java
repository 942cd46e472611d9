package hookhub.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldTypesTest {

    private static final TimestampFormat KST = TimestampFormat.of("yyyyMMddHHmmss", "Asia/Seoul");

    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) JsonBodyDecoder.mapper().readTree(s);
    }

    private static Warnings apply(ObjectNode payload, String spec) {
        Warnings w = new Warnings();
        FieldTypes.apply(payload, FieldTypes.parse(spec), KST, w);
        return w;
    }

    private static String write(JsonNode n) throws Exception {
        return JsonBodyDecoder.mapper().writeValueAsString(n);
    }

    // ---- parse ----

    @Test
    void parsesRouteDeclaration() {
        Map<String, FieldType> t = FieldTypes.parse(
                "duration:int, ring_sec:int, event_value:json, start_time:timestamp, answer_time:timestamp");
        assertEquals(List.of("duration", "ring_sec", "event_value", "start_time", "answer_time"), List.copyOf(t.keySet()));
        assertEquals(FieldType.INT, t.get("duration"));
        assertEquals(FieldType.JSON, t.get("event_value"));
        assertEquals(FieldType.TIMESTAMP, t.get("answer_time"));
    }

    @Test
    void namesMayContainColonsAndEntriesAnySeparator() {
        Map<String, FieldType> t = FieldTypes.parse("abx:order_sales:int\n  abx:order_id:string,,\tflag:bool,"
                + "price:decimal\r\nraw:STRING");
        assertEquals(Map.of("abx:order_sales", FieldType.INT, "abx:order_id", FieldType.STRING,
                "flag", FieldType.BOOL, "price", FieldType.DECIMAL, "raw", FieldType.STRING), t);
    }

    @Test
    void blankSpecIsEmpty() {
        assertTrue(FieldTypes.parse(null).isEmpty());
        assertTrue(FieldTypes.parse("").isEmpty());
        assertTrue(FieldTypes.parse(" ,\n ").isEmpty());
    }

    @Test
    void badEntriesAreRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FieldTypes.parse("duration:int, ring_sec:integr"));
        assertTrue(e.getMessage().contains("ring_sec:integr"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> FieldTypes.parse("duration"));
        assertTrue(e2.getMessage().contains("duration"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FieldTypes.parse(":int"));
        assertThrows(IllegalArgumentException.class, () -> FieldTypes.parse("a:"));
        assertThrows(IllegalArgumentException.class, () -> FieldTypes.parse("a:int a:json"));
    }

    // ---- apply ----

    @Test
    void intConversion() throws Exception {
        ObjectNode p = json("{\"duration\":\"208\",\"ring_sec\":\"00123\",\"big\":\"1234567890123456789012\","
                + "\"num\":42,\"neg\":\"-7\",\"bad\":\"12a\",\"frac\":\"1.5\",\"float_int\":5.0}");
        Warnings w = apply(p, "duration:int ring_sec:int big:int num:int neg:int bad:int frac:int float_int:int");
        assertEquals(208, p.get("duration").intValue());
        assertTrue(p.get("duration").isInt());
        assertEquals(123, p.get("ring_sec").intValue());
        assertEquals(new BigInteger("1234567890123456789012"), p.get("big").bigIntegerValue());
        assertEquals(42, p.get("num").intValue());
        assertEquals(-7, p.get("neg").intValue());
        assertEquals("12a", p.get("bad").textValue());
        assertEquals("1.5", p.get("frac").textValue());
        assertEquals(5, p.get("float_int").intValue());
        assertTrue(p.get("float_int").isIntegralNumber());
        assertEquals(2, w.list().size(), w::toString);
        assertTrue(w.list().get(0).contains("'bad'") && w.list().get(0).contains("int"), w::toString);
        assertTrue(w.list().get(1).contains("'frac'"), w::toString);
        assertTrue(write(p).contains("\"big\":1234567890123456789012"));
    }

    @Test
    void decimalConversionIsExact() throws Exception {
        ObjectNode p = json("{\"usd\":\"28.63\",\"price\":\"1.10\",\"n\":\"39000\",\"already\":2.50,\"bad\":\"12,5\","
                + "\"exp\":\"1e999999999\"}");
        Warnings w = apply(p, "usd:decimal price:decimal n:decimal already:decimal bad:decimal exp:decimal");
        assertEquals("{\"usd\":28.63,\"price\":1.10,\"n\":39000,\"already\":2.50,\"bad\":\"12,5\",\"exp\":\"1e999999999\"}",
                write(p));
        assertEquals(2, w.list().size(), w::toString);
        assertTrue(w.list().get(0).contains("'bad'") && w.list().get(0).contains("decimal"), w::toString);
    }

    @Test
    void boolConversion() throws Exception {
        ObjectNode p = json("{\"a\":\"true\",\"b\":\"FALSE\",\"c\":\"1\",\"d\":\"0\",\"e\":\"Yes\",\"f\":\"no\","
                + "\"g\":true,\"h\":\"maybe\",\"i\":1}");
        Warnings w = apply(p, "a:bool b:bool c:bool d:bool e:bool f:bool g:bool h:bool i:bool");
        assertEquals("{\"a\":true,\"b\":false,\"c\":true,\"d\":false,\"e\":true,\"f\":false,\"g\":true,"
                + "\"h\":\"maybe\",\"i\":true}", write(p));
        assertEquals(1, w.list().size());
        assertTrue(w.list().get(0).contains("'h'") && w.list().get(0).contains("bool"), w::toString);
    }

    @Test
    void timestampConversion() throws Exception {
        ObjectNode p = json("{\"start_time\":\"20240514153012\",\"answer_time\":\"\",\"end_time\":\"2024-05-14\"}");
        Warnings w = apply(p, "start_time:timestamp answer_time:timestamp end_time:timestamp missing:timestamp");
        assertEquals("2024-05-14T15:30:12+09:00", p.get("start_time").textValue());
        assertEquals("", p.get("answer_time").textValue(), "empty time is absent, not an error");
        assertEquals("2024-05-14", p.get("end_time").textValue());
        assertEquals(1, w.list().size(), w::toString);
        assertTrue(w.list().get(0).contains("'end_time'") && w.list().get(0).contains("timestamp"), w::toString);
        assertTrue(!p.has("missing"));
    }

    @Test
    void epochNumberInJsonBodyIsATimestamp() throws Exception {
        ObjectNode p = json("{\"t\":1715656869512}");
        FieldTypes.apply(p, FieldTypes.parse("t:timestamp"), TimestampFormat.of("epoch-millis", "UTC"), new Warnings());
        assertEquals("2024-05-14T03:21:09.512Z", p.get("t").textValue());
    }

    @Test
    void nullTimestampFormatMeansIsoUtc() throws Exception {
        ObjectNode p = json("{\"t\":\"2024-05-14T03:21:09\"}");
        FieldTypes.apply(p, FieldTypes.parse("t:timestamp"), null, new Warnings());
        assertEquals("2024-05-14T03:21:09Z", p.get("t").textValue());
    }

    @Test
    void appsflyerEventValueJsonStringIsParsed() throws Exception {
        ObjectNode p = JsonBodyDecoder.decode(JsonBodyDecoderTest.APPSFLYER_PURCHASE.getBytes(StandardCharsets.UTF_8),
                null, new Warnings()).get(0);
        Warnings w = apply(p, "event_value:json event_revenue_usd:decimal");
        assertTrue(p.get("event_value").isObject());
        assertEquals("ORD-20240514-000123", p.get("event_value").get("af_order_id").textValue());
        assertEquals("39000", p.get("event_value").get("af_revenue").textValue());
        assertTrue(write(p).contains("\"event_revenue_usd\":28.63"));
        assertTrue(w.isEmpty(), w::toString);
    }

    @Test
    void jsonFieldAcceptsAnyJsonValueAndKeepsInvalidText() throws Exception {
        ObjectNode p = json("{\"ev\":\"{}\",\"arr\":\"[1,2]\",\"num\":\"12.50\",\"event_value\":\"{oops\","
                + "\"obj\":{\"k\":1},\"trail\":\"{} x\"}");
        Warnings w = apply(p, "ev:json arr:json num:json event_value:json obj:json trail:json");
        assertTrue(p.get("ev").isObject() && p.get("ev").isEmpty());
        assertEquals(2, p.get("arr").size());
        assertEquals("12.50", p.get("num").decimalValue().toString());
        assertEquals("{oops", p.get("event_value").textValue());
        assertEquals(1, p.get("obj").get("k").intValue());
        assertEquals("{} x", p.get("trail").textValue());
        assertEquals(List.of("field 'event_value' is not valid JSON; kept as text",
                "field 'trail' is not valid JSON; kept as text"), w.list());
    }

    @Test
    void stringTypeNormalisesScalarsToText() throws Exception {
        ObjectNode p = json("{\"caller\":1099990001,\"price\":1.10,\"flag\":true,\"s\":\"0107\"}");
        Warnings w = apply(p, "caller:string price:string flag:string s:string");
        assertEquals("{\"caller\":\"1099990001\",\"price\":\"1.10\",\"flag\":\"true\",\"s\":\"0107\"}", write(p));
        assertTrue(w.isEmpty());
    }

    @Test
    void emptyStringsAndNullsAreLeftAloneWithoutWarnings() throws Exception {
        ObjectNode p = json("{\"a\":\"\",\"b\":\"\",\"c\":\"\",\"d\":\"\",\"e\":\"\",\"f\":\"\",\"g\":null}");
        Warnings w = apply(p, "a:int b:decimal c:bool d:timestamp e:json f:string g:int");
        assertEquals("{\"a\":\"\",\"b\":\"\",\"c\":\"\",\"d\":\"\",\"e\":\"\",\"f\":\"\",\"g\":null}", write(p));
        assertTrue(w.isEmpty(), w::toString);
    }

    @Test
    void repeatedKeysAreTypedElementWise() throws Exception {
        ObjectNode p = FormDecoder.decode("n=1&n=x&n=&n=3".getBytes(StandardCharsets.US_ASCII), null, null).fields();
        Warnings w = apply(p, "n:int");
        assertEquals("{\"n\":[1,\"x\",\"\",3]}", write(p));
        assertEquals(1, w.list().size());
        assertTrue(w.list().get(0).contains("'n'"));
    }

    @Test
    void absentFieldsAndEmptyTypesDoNothing() throws Exception {
        ObjectNode p = json("{\"a\":\"1\"}");
        ObjectNode copy = p.deepCopy();
        Warnings w = apply(p, "b:int c:json");
        FieldTypes.apply(p, Map.of(), KST, w);
        assertEquals(copy, p);
        assertTrue(w.isEmpty());
    }

    @Test
    void call050FormPipeline() throws Exception {
        DecodedForm f = FormDecoder.decode(FormDecoderTest.CALL050_EUCKR.getBytes(StandardCharsets.US_ASCII), "EUC-KR", null);
        ObjectNode p = f.fields();
        Warnings w = apply(p, "duration:int, ring_sec:int, start_time:timestamp, answer_time:timestamp, end_time:timestamp");
        assertEquals(208, p.get("duration").intValue());
        assertEquals(7, p.get("ring_sec").intValue());
        assertEquals("2024-05-14T15:30:19+09:00", p.get("answer_time").textValue());
        assertEquals("2024-05-14T15:33:47+09:00", p.get("end_time").textValue());
        assertEquals("01099990001", p.get("caller").textValue(), "undeclared fields stay text");
        assertTrue(w.isEmpty(), w::toString);

        ObjectNode missed = FormDecoder.decode(FormDecoderTest.CALL050_MISSED.getBytes(StandardCharsets.US_ASCII),
                "UTF-8", null).fields();
        Warnings w2 = apply(missed, "duration:int, answer_time:timestamp");
        assertEquals(0, missed.get("duration").intValue());
        assertEquals("", missed.get("answer_time").textValue());
        assertTrue(w2.isEmpty(), w2::toString);
    }

    @Test
    void typedNodeKeepsItsIdentityWhenAlreadyRight() throws Exception {
        ObjectNode p = json("{\"o\":{\"x\":1}}");
        JsonNode before = p.get("o");
        apply(p, "o:json");
        assertSame(before, p.get("o"));
    }
}
