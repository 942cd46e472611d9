package hookhub.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FormDecoderTest {

    private static final Charset MS949 = Charset.forName("x-windows-949");

    // Bodies shaped exactly like the fixtures in shared/fixtures (kept inline: no build-time dependency on them).

    static final String TRICKY_REPEATED = "a=1&a=2&empty=&flag&name=Kim+Min%20Su&plus_literal=1%2B1%3D2"
            + "&event_value%5Baf_revenue%5D=1.5&event_value[af_currency]=KRW&arr[]=x&arr[]=y"
            + "&hangul=%EA%B0%95%EB%82%A8%EA%B5%AC+%EC%97%AD%EC%82%BC%EB%8F%99&=orphan_value&dup_empty=&dup_empty=z";

    static final String TRICKY_MALFORMED =
            "ok=1&bad_hex=%ZZ&lone=%&truncated_utf8=%EA%B0&overlong=%C0%AF&nul=a%00b&semi=a;b=c&crlf=x%0D%0Ay";

    private static final String CALL050_HEAD = "call_id=20240514153012-050712340001-000123&client_id=C00417"
            + "&vn=050712340001&caller=01099990001&callee=0212345678&start_time=20240514153012"
            + "&answer_time=20240514153019&end_time=20240514153347&ring_sec=7&duration=208&result=ANSWER"
            + "&result_code=0000&rec_url=https%3A%2F%2Frec.example-050.co.kr%2Fplay%3Fcid%3D20240514153012-0507-000123"
            + "%26key%3DZm9v%2BYmFy%2F%3D%3D%26fmt%3Dmp3";

    static final String CALL050_UTF8 = CALL050_HEAD
            + "&caller_name=%ED%99%8D%EA%B8%B8%EB%8F%99"
            + "&memo=%EA%B0%95%EB%82%A8%EC%A0%90+%EA%B2%AC%EC%A0%81+%EB%AC%B8%EC%9D%98+%28%EC%A3%BC%EB%A7%90"
            + "+%EB%B0%A9%EB%AC%B8+%ED%9D%AC%EB%A7%9D%29"
            + "&ad_channel=%EB%84%A4%EC%9D%B4%EB%B2%84+%ED%8C%8C%EC%9B%8C%EB%A7%81%ED%81%AC"
            + "&keyword=%EA%B0%95%EB%82%A8+%EC%9D%B8%ED%85%8C%EB%A6%AC%EC%96%B4+%EA%B2%AC%EC%A0%81";

    static final String CALL050_EUCKR = CALL050_HEAD
            + "&caller_name=%C8%AB%B1%E6%B5%BF"
            + "&memo=%B0%AD%B3%B2%C1%A1+%B0%DF%C0%FB+%B9%AE%C0%C7+%28%C1%D6%B8%BB+%B9%E6%B9%AE+%C8%F1%B8%C1%29"
            + "&ad_channel=%B3%D7%C0%CC%B9%F6+%C6%C4%BF%F6%B8%B5%C5%A9"
            + "&keyword=%B0%AD%B3%B2+%C0%CE%C5%D7%B8%AE%BE%EE+%B0%DF%C0%FB";

    static final String CALL050_MISSED = "call_id=20240514160501-050712340001-000124&client_id=C00417"
            + "&vn=050712340001&caller=01099990002&callee=0212345678&start_time=20240514160501&answer_time="
            + "&end_time=20240514160531&ring_sec=30&duration=0&result=NOANSWER&result_code=0480&rec_url="
            + "&caller_name=&memo=&ad_channel=%EC%B9%B4%EC%B9%B4%EC%98%A4+%EB%B9%84%EC%A6%88%EB%B3%B4%EB%93%9C"
            + "&keyword=";

    private static final String ADBRIX_COMMON = "appkey=AbCdEfGhIjKlMnOpQrStUv&package_name=com.example.shop"
            + "&platform=Android&os=Android{SP}14&model=SM-S918N&vendor=samsung&resolution=1080x2340&is_portrait=true"
            + "&network=wifi&is_wifi_only=false&carrier=SKTelecom&language=ko&country=KR&app_version=5.12.0"
            + "&sdk_version=2.4.1&installer=com.android.vending&build_id=UP1A.231005.007"
            + "&adid=3f6c1d2e-0a1b-4c2d-9e8f-000000000001&gaid=3f6c1d2e-0a1b-4c2d-9e8f-000000000001&idfa=&idfv="
            + "&ad_id_opt_out=false&event_name=abx%3Apurchase&event_datetime=2024-05-14{SP}03%3A21%3A09"
            + "&event_datetime_kst=2024-05-14{SP}12%3A21%3A09&event_timestamp=1715656869"
            + "&event_timestamp_d=1715656869512&a_key=1715560000437%3A902a3631-676a-4d57-a428-000000000001"
            + "&a_partner=WWEzlPofL0CKBJQQLweyHw&abx%3Aorder_id=ORD-20240514-000123&abx%3Aorder_sales=39000"
            + "&param_json=%7B%22abx%3Aorder_id%22%3A%22ORD-20240514-000123%22%2C%22abx%3Aorder_sales%22%3A39000"
            + "%2C%22abx%3Adelivery_charge%22%3A0%2C%22abx%3Adiscount%22%3A0%2C%22abx%3Apayment_method%22%3A"
            + "%22CreditCard%22%2C%22abx%3Aitems%22%3A%5B%7B%22abx%3Aproduct_id%22%3A%22SKU-1001%22%2C"
            + "%22abx%3Aproduct_name%22%3A%22%EB%B4%84{SP}%EC%8B%A0%EC%83%81{SP}%EC%9B%90%ED%94%BC%EC%8A%A4%22"
            + "%2C%22abx%3Aprice%22%3A39000%2C%22abx%3Aquantity%22%3A1%2C%22abx%3Acurrency%22%3A%22KRW%22%2C"
            + "%22abx%3Acategory1%22%3A%22%EC%9D%98%EB%A5%98%22%7D%5D%7D";

    /** adbrix form POST: Java URLEncoder style, '+' for space. */
    static final String ADBRIX_POST = ADBRIX_COMMON.replace("{SP}", "+");
    /** adbrix GET query: '%20' for space. */
    static final String ADBRIX_GET = ADBRIX_COMMON.replace("{SP}", "%20");

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static DecodedForm decode(String body, String declared) {
        return FormDecoder.decode(ascii(body), declared, null);
    }

    private static String text(ObjectNode o, String key) {
        JsonNode n = o.get(key);
        assertTrue(n != null && n.isTextual(), () -> "expected text at '" + key + "' in " + o);
        return n.textValue();
    }

    private static List<String> keys(ObjectNode o) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        return keys;
    }

    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) JsonBodyDecoder.mapper().readTree(s);
    }

    /** Percent-escapes every byte of s in the given charset, the way a legacy sender's URLEncoder would. */
    private static String escape(String s, Charset cs) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(cs)) {
            b.append(String.format("%%%02X", x & 0xff));
        }
        return b.toString();
    }

    // ---- fixture expectations ----

    @Test
    void repeatedKeysEmptyPlusNestedFixtureDecodesExactly() throws Exception {
        DecodedForm f = decode(TRICKY_REPEATED, null);
        ObjectNode expected = json("{\"a\":[\"1\",\"2\"],\"empty\":\"\",\"flag\":\"\",\"name\":\"Kim Min Su\","
                + "\"plus_literal\":\"1+1=2\",\"event_value[af_revenue]\":\"1.5\",\"event_value[af_currency]\":\"KRW\","
                + "\"arr[]\":[\"x\",\"y\"],\"hangul\":\"강남구 역삼동\",\"\":\"orphan_value\",\"dup_empty\":[\"\",\"z\"]}");
        assertEquals(expected, f.fields());
        assertEquals(keys(expected), keys(f.fields()), "insertion order");
        assertEquals("UTF-8", f.charset());
        assertTrue(f.warnings().isEmpty(), f.warnings()::toString);
    }

    @Test
    void malformedPercentFixtureKeepsRawTextAndWarnsPerKey() {
        DecodedForm f = decode(TRICKY_MALFORMED, "UTF-8");
        ObjectNode o = f.fields();
        assertEquals("1", text(o, "ok"));
        assertEquals("%ZZ", text(o, "bad_hex"));
        assertEquals("%", text(o, "lone"));
        assertEquals("%EA%B0", text(o, "truncated_utf8"));
        assertEquals("%C0%AF", text(o, "overlong"));
        assertEquals("a\u0000b", text(o, "nul"));
        assertEquals("a;b=c", text(o, "semi"));
        assertEquals("x\r\ny", text(o, "crlf"));
        assertEquals(List.of("ok", "bad_hex", "lone", "truncated_utf8", "overlong", "nul", "semi", "crlf"), keys(o));
        assertEquals("UTF-8", f.charset());

        List<String> w = f.warnings();
        assertEquals(4, w.size(), w::toString);
        assertTrue(w.contains("malformed percent-escape in 'bad_hex'"), w::toString);
        assertTrue(w.contains("malformed percent-escape in 'lone'"), w::toString);
        assertTrue(w.contains("invalid UTF-8 in 'truncated_utf8'; kept as escaped text"), w::toString);
        assertTrue(w.contains("invalid UTF-8 in 'overlong'; kept as escaped text"), w::toString);
    }

    @Test
    void overlongSlashNeverBecomesSlash() {
        for (String declared : new String[] {"UTF-8", null}) {
            DecodedForm f = decode("p=%C0%AF", declared);
            assertNotEquals("/", text(f.fields(), "p"), "declared " + declared);
        }
    }

    @Test
    void malformedBodyWithoutDeclaredCharsetFallsBackToMs949AndNeverThrows() {
        DecodedForm f = decode(TRICKY_MALFORMED, null);
        assertEquals("MS949", f.charset()); // not valid UTF-8 as a whole
        assertEquals("1", text(f.fields(), "ok"));
        assertEquals("%ZZ", text(f.fields(), "bad_hex"));
        assertEquals("a;b=c", text(f.fields(), "semi"));
        assertEquals("x\r\ny", text(f.fields(), "crlf"));
    }

    @Test
    void call050EucKrDeclaredEqualsUtf8() {
        DecodedForm utf8 = decode(CALL050_UTF8, "UTF-8");
        DecodedForm euckr = decode(CALL050_EUCKR, "EUC-KR");
        assertEquals(utf8.fields(), euckr.fields());
        assertEquals("UTF-8", utf8.charset());
        assertEquals("MS949", euckr.charset());
        assertTrue(utf8.warnings().isEmpty(), utf8.warnings()::toString);
        assertTrue(euckr.warnings().isEmpty(), euckr.warnings()::toString);

        ObjectNode o = euckr.fields();
        assertEquals("홍길동", text(o, "caller_name"));
        assertEquals("강남점 견적 문의 (주말 방문 희망)", text(o, "memo"));
        assertEquals("네이버 파워링크", text(o, "ad_channel"));
        assertEquals("강남 인테리어 견적", text(o, "keyword"));
        assertEquals("https://rec.example-050.co.kr/play?cid=20240514153012-0507-000123&key=Zm9v+YmFy/==&fmt=mp3",
                text(o, "rec_url"));
        assertEquals("20240514153012-050712340001-000123", text(o, "call_id"));
        assertEquals("0000", text(o, "result_code"));
        assertEquals(17, o.size());
    }

    @Test
    void call050EucKrWithoutDeclarationOrWithRouteDefaultEqualsUtf8() {
        ObjectNode reference = decode(CALL050_UTF8, "UTF-8").fields();

        DecodedForm undeclared = FormDecoder.decode(ascii(CALL050_EUCKR), null, null);
        assertEquals("MS949", undeclared.charset());
        assertEquals(reference, undeclared.fields());

        DecodedForm routeDefault = FormDecoder.decode(ascii(CALL050_EUCKR), null, "EUC-KR");
        assertEquals("MS949", routeDefault.charset());
        assertEquals(reference, routeDefault.fields());
        assertTrue(routeDefault.warnings().isEmpty());

        DecodedForm utf8Undeclared = FormDecoder.decode(ascii(CALL050_UTF8), "", "");
        assertEquals("UTF-8", utf8Undeclared.charset());
        assertEquals(reference, utf8Undeclared.fields());
    }

    @Test
    void declaredCharsetWinsOverRouteDefault() {
        DecodedForm f = FormDecoder.decode(ascii(CALL050_UTF8), "utf-8", "EUC-KR");
        assertEquals("UTF-8", f.charset());
        assertEquals("홍길동", text(f.fields(), "caller_name"));
    }

    @Test
    void missedCallKeepsEmptyValues() {
        DecodedForm f = decode(CALL050_MISSED, "UTF-8");
        ObjectNode o = f.fields();
        for (String k : new String[] {"answer_time", "rec_url", "caller_name", "memo", "keyword"}) {
            assertEquals("", text(o, k), k);
        }
        assertEquals("0", text(o, "duration"));
        assertEquals("카카오 비즈보드", text(o, "ad_channel"));
        assertEquals(17, o.size());
    }

    @Test
    void cp949OnlySyllablesSurviveEucKrLabels() {
        String word = "똠방각하 샾 뷁";
        byte[] ms949 = word.getBytes(MS949);
        assertEquals((byte) 0x8C, ms949[0]);
        assertEquals((byte) 0x63, ms949[1]);
        String body = "name=" + escape(word, MS949) + "&x=1";
        for (String label : new String[] {"euc-kr", "ks_c_5601-1987", "EUC-KR", "\"euc-kr\"", "cp949", "windows-949"}) {
            DecodedForm f = decode(body, label);
            assertEquals(word, text(f.fields(), "name"), label);
            assertEquals("MS949", f.charset(), label);
            assertTrue(f.warnings().isEmpty(), label + f.warnings());
        }
        // and with no label at all: not UTF-8, so MS949
        assertEquals(word, text(decode(body, null).fields(), "name"));
    }

    @Test
    void rawUnescapedEucKrBytesAreDecodedByTheSameRule() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(ascii("caller_name="));
        body.write("홍길동".getBytes(MS949));
        body.write(ascii("&memo="));
        body.write("똠 (주말)".getBytes(MS949));
        body.write(ascii("&n=1"));
        for (String declared : new String[] {null, "EUC-KR"}) {
            DecodedForm f = FormDecoder.decode(body.toByteArray(), declared, null);
            assertEquals("MS949", f.charset());
            assertEquals("홍길동", text(f.fields(), "caller_name"));
            assertEquals("똠 (주말)", text(f.fields(), "memo"));
            assertEquals("1", text(f.fields(), "n"));
        }
    }

    @Test
    void rawUnescapedUtf8BytesAreDecodedAsUtf8() {
        byte[] body = "hangul=강남구 역삼동&k=v".getBytes(StandardCharsets.UTF_8);
        DecodedForm f = FormDecoder.decode(body, null, null);
        assertEquals("UTF-8", f.charset());
        assertEquals("강남구 역삼동", text(f.fields(), "hangul"));
    }

    @Test
    void adbrixPostAndGetDecodeIdentically() throws Exception {
        DecodedForm post = decode(ADBRIX_POST, "UTF-8");
        DecodedForm get = FormDecoder.decode(ADBRIX_GET.getBytes(StandardCharsets.ISO_8859_1), null, null);
        assertEquals(post.fields(), get.fields());
        assertEquals(keys(post.fields()), keys(get.fields()));
        ObjectNode o = get.fields();
        assertEquals("Android 14", text(o, "os"));
        assertEquals("abx:purchase", text(o, "event_name"));
        assertEquals("ORD-20240514-000123", text(o, "abx:order_id"));
        assertEquals("1715560000437:902a3631-676a-4d57-a428-000000000001", text(o, "a_key"));
        assertEquals("", text(o, "idfa"));
        assertEquals("2024-05-14 12:21:09", text(o, "event_datetime_kst"));
        JsonNode param = JsonBodyDecoder.mapper().readTree(text(o, "param_json"));
        assertEquals("봄 신상 원피스", param.get("abx:items").get(0).get("abx:product_name").textValue());
        assertEquals("의류", param.get("abx:items").get(0).get("abx:category1").textValue());
        assertTrue(post.warnings().isEmpty() && get.warnings().isEmpty());
    }

    @Test
    void appsflyerQueryDecodesToTheJsonPostValues() throws Exception {
        String query = "app_name=Example%20Shop&wifi=true&user_agent=Dalvik%2F2.1.0%20%28Linux%3B%20U%3B%20Android"
                + "%2014%3B%20SM-S918N%20Build%2FUP1A.231005.007%29&event_time=2024-05-14%2003%3A21%3A09.512"
                + "&event_time_selected_timezone=2024-05-14%2012%3A21%3A09.512%2B0900&selected_timezone=Asia%2FSeoul"
                + "&event_value=%7B%22af_revenue%22%3A%2239000%22%2C%22af_currency%22%3A%22KRW%22%2C%22af_content_id"
                + "%22%3A%22SKU-1001%22%2C%22af_quantity%22%3A%221%22%2C%22af_order_id%22%3A%22ORD-20240514-000123%22%7D"
                + "&event_revenue_usd=28.63";
        ObjectNode q = FormDecoder.decode(query.getBytes(StandardCharsets.ISO_8859_1), null, null).fields();
        ObjectNode post = json("{\"app_name\":\"Example Shop\",\"user_agent\":\"Dalvik/2.1.0 (Linux; U; Android 14;"
                + " SM-S918N Build/UP1A.231005.007)\",\"event_time\":\"2024-05-14 03:21:09.512\","
                + "\"event_time_selected_timezone\":\"2024-05-14 12:21:09.512+0900\",\"selected_timezone\":\"Asia/Seoul\","
                + "\"event_value\":\"{\\\"af_revenue\\\":\\\"39000\\\",\\\"af_currency\\\":\\\"KRW\\\","
                + "\\\"af_content_id\\\":\\\"SKU-1001\\\",\\\"af_quantity\\\":\\\"1\\\","
                + "\\\"af_order_id\\\":\\\"ORD-20240514-000123\\\"}\",\"event_revenue_usd\":\"28.63\"}");
        for (Iterator<String> it = post.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            assertEquals(post.get(k), q.get(k), k);
        }
        assertEquals("true", text(q, "wifi")); // query values are all strings
    }

    // ---- splitting rules ----

    @Test
    void semicolonDoesNotSplitAndEmptySegmentsAreSkipped() {
        DecodedForm f = decode("&&semi=a;b=c&&x=1&", null);
        assertEquals(List.of("semi", "x"), keys(f.fields()));
        assertEquals("a;b=c", text(f.fields(), "semi"));
        assertTrue(f.warnings().isEmpty());
    }

    @Test
    void pairSplitsAtFirstEquals() {
        ObjectNode o = decode("k=a=b==&=&=v", null).fields();
        assertEquals("a=b==", text(o, "k"));
        assertEquals("[\"\",\"v\"]", o.get("").toString()); // "=" is key "" with value "", then "=v"
    }

    @Test
    void plusIsSpaceAndEscapedPlusIsPlus() {
        ObjectNode o = decode("a=1+1&b=1%2B1&c=%2b&d=++", null).fields();
        assertEquals("1 1", text(o, "a"));
        assertEquals("1+1", text(o, "b"));
        assertEquals("+", text(o, "c"));
        assertEquals("  ", text(o, "d"));
    }

    @Test
    void keysAreDecodedLikeValuesAndStayFlat() {
        ObjectNode o = decode("abx%3Aorder_id=1&my+key=2&a%5Bb%5D%5Bc%5D=3&user.name=4", null).fields();
        assertEquals(List.of("abx:order_id", "my key", "a[b][c]", "user.name"), keys(o));
    }

    @Test
    void repeatedKeysKeepFirstPositionAndArrivalOrder() {
        ObjectNode o = decode("a=1&b=2&a=3&a=&b=4", null).fields();
        assertEquals(List.of("a", "b"), keys(o));
        assertEquals("[\"1\",\"3\",\"\"]", o.get("a").toString());
        assertEquals("[\"2\",\"4\"]", o.get("b").toString());
    }

    @Test
    void emptyAndNullBodies() {
        for (byte[] body : new byte[][] {new byte[0], null, ascii("&"), ascii("&&&")}) {
            DecodedForm f = FormDecoder.decode(body, null, null);
            assertEquals(0, f.fields().size());
            assertTrue(f.warnings().isEmpty());
            assertEquals("UTF-8", f.charset());
        }
    }

    // ---- malformed input ----

    @Test
    void malformedEscapesAtEveryPosition() {
        ObjectNode o = decode("a=%&b=%4&c=%4G&d=100%&e=%%41&f=%g1z", "UTF-8").fields();
        assertEquals("%", text(o, "a"));
        assertEquals("%4", text(o, "b"));
        assertEquals("%4G", text(o, "c"));
        assertEquals("100%", text(o, "d"));
        assertEquals("%A", text(o, "e"));
        assertEquals("%g1z", text(o, "f"));
    }

    @Test
    void malformedEscapeInKeyIsKeptAndNamed() {
        DecodedForm f = decode("k%ZZ=1", "UTF-8");
        assertEquals("1", text(f.fields(), "k%ZZ"));
        assertEquals(List.of("malformed percent-escape in key 'k%ZZ'"), f.warnings());
    }

    @Test
    void invalidUtf8KeyIsKeptEscaped() {
        DecodedForm f = decode("k%FF=1&ok=2", "UTF-8");
        assertEquals("1", text(f.fields(), "k%FF"));
        assertEquals(1, f.warnings().size());
        assertTrue(f.warnings().get(0).startsWith("invalid UTF-8 in key 'k%FF'"), f.warnings()::toString);
    }

    @Test
    void declaredUtf8DoesNotFlipToMs949BecauseOfOneBrokenValue() {
        DecodedForm f = decode("name=%ED%99%8D%EA%B8%B8%EB%8F%99&bad=%EA%B0&tail=%EB%8F%99", "UTF-8");
        assertEquals("UTF-8", f.charset());
        assertEquals("홍길동", text(f.fields(), "name"));
        assertEquals("%EA%B0", text(f.fields(), "bad"));
        assertEquals("동", text(f.fields(), "tail"));
    }

    @Test
    void brokenSequenceCannotBorrowBytesFromTheNextPart() {
        // %EA%B0 + %80 would be valid UTF-8 (가) if the parts were glued together without a separator.
        DecodedForm f = decode("a=%EA%B0&%80=x", "UTF-8");
        assertEquals("%EA%B0", text(f.fields(), "a"));
        assertEquals("x", text(f.fields(), "%80"));
        assertEquals(2, f.warnings().size());
    }

    @Test
    void wholeBodyJudgementKeepsPartsApart() {
        // Glued together, EA B0 | 80 would be valid UTF-8; judged with a separator between pairs it is not: MS949.
        DecodedForm f = decode("a=%EA%B0&%80=x", null);
        assertEquals("MS949", f.charset());
        assertEquals("x", text(f.fields(), "%80")); // 80 is no MS949 character either: key kept escaped
    }

    @Test
    void valueInvalidInMs949IsKeptEscapedWithWarning() {
        // Not valid UTF-8 as a whole (lone %FF), nothing declared -> MS949; %FF is invalid in MS949 as well.
        DecodedForm f = decode("name=" + escape("홍길동", MS949) + "&bad=x%FFy+z", null);
        assertEquals("MS949", f.charset());
        assertEquals("홍길동", text(f.fields(), "name"));
        assertEquals("x%FFy+z", text(f.fields(), "bad"));
        assertEquals(List.of("invalid MS949 in 'bad'; kept as escaped text"), f.warnings());
    }

    @Test
    void rawInvalidBytesAreReEscapedWhenKept() {
        byte[] body = {'v', '=', 'a', (byte) 0xFF, 'b'};
        DecodedForm f = FormDecoder.decode(body, "UTF-8", null);
        assertEquals("a%FFb", text(f.fields(), "v"));
        assertFalse(text(f.fields(), "v").contains("\uFFFD"));
    }

    @Test
    void controlCharactersAreKeptWithoutWarnings() {
        DecodedForm f = decode("nul=a%00b&crlf=x%0D%0Ay&tab=%09&del=%7F", "UTF-8");
        assertEquals("a\u0000b", text(f.fields(), "nul"));
        assertEquals("x\r\ny", text(f.fields(), "crlf"));
        assertEquals("\t", text(f.fields(), "tab"));
        assertEquals("\u007f", text(f.fields(), "del"));
        assertTrue(f.warnings().isEmpty());
    }

    @Test
    void warningsNeverCarryRawControlCharactersFromKeys() {
        DecodedForm f = decode("evil%0D%0AX-Injected:%201=%ZZ", "UTF-8");
        assertEquals(1, f.warnings().size());
        String w = f.warnings().get(0);
        assertFalse(w.contains("\r") || w.contains("\n"), w);
        assertTrue(w.contains("evil\\u000d\\u000aX-Injected: 1"), w);
    }

    @Test
    void unknownDeclaredCharsetWarnsAndFallsThrough() {
        DecodedForm f = decode(CALL050_UTF8, "xyz-unknown");
        assertEquals("UTF-8", f.charset());
        assertEquals("홍길동", text(f.fields(), "caller_name"));
        assertEquals(1, f.warnings().size());
        assertTrue(f.warnings().get(0).startsWith("unknown charset 'xyz-unknown'"), f.warnings()::toString);

        DecodedForm legacy = decode(CALL050_EUCKR, "xyz-unknown");
        assertEquals("MS949", legacy.charset());
        assertEquals("홍길동", text(legacy.fields(), "caller_name"));
    }

    @Test
    void otherDeclaredCharsetsAreHonoured() {
        DecodedForm f = decode("name=caf%E9", "ISO-8859-1");
        assertEquals("café", text(f.fields(), "name"));
        assertEquals("ISO-8859-1", f.charset());
    }

    @Test
    void concurrentDecodingGivesIdenticalResults() throws Exception {
        ObjectNode expected = decode(CALL050_EUCKR, "EUC-KR").fields();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ObjectNode>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String body = i % 2 == 0 ? CALL050_EUCKR : CALL050_UTF8;
                String cs = i % 2 == 0 ? "EUC-KR" : "UTF-8";
                results.add(pool.submit(() -> FormDecoder.decode(ascii(body), cs, null).fields()));
            }
            for (Future<ObjectNode> r : results) {
                assertEquals(expected, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void largeBodyDecodesQuickly() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            b.append("k").append(i).append("=%EA%B0%95%EB%82%A8+").append(i).append('&');
        }
        byte[] body = ascii(b.toString());
        long t0 = System.nanoTime();
        DecodedForm f = FormDecoder.decode(body, null, null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(20_000, f.fields().size());
        assertEquals("강남 19999", text(f.fields(), "k19999"));
        assertTrue(ms < 2_000, "took " + ms + " ms");
    }
}
