package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every decoding rule, end to end: request bytes over HTTP to the test-only "generic" source (no dedup key, no types),
 * then the record as it lands in the lake.
 */
class DecodingRulesTest extends SharedHub {


    private static JsonNode recordFor(HubClient.Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        return hub.lake().awaitRecord("generic", reply.json().get("id").asText());
    }

    @Test
    void repeatedKeysEmptyValuesPlusAndFlatBracketKeys() {
        JsonNode p = recordFor(client.send("generic_tricky_form.http")).get("payload");
        assertEquals("[\"1\",\"2\"]", p.get("a").toString());
        assertEquals("", p.get("empty").asText());
        assertEquals("", p.get("flag").asText(), "a key without '=' has the value \"\"");
        assertEquals("Lee Ji Eun", p.get("name").asText(), "+ and %20 are spaces");
        assertEquals("2+2=4", p.get("plus_literal").asText(), "%2B is a plus");
        assertEquals("9.5", p.get("event_value[price]").asText());
        assertEquals("KRW", p.get("event_value[currency]").asText());
        assertEquals("[\"p\",\"q\"]", p.get("tags[]").toString());
        assertEquals("서초구 방배동", p.get("hangul").asText());
        assertEquals("orphan", p.get("").asText());
        assertEquals("[\"\",\"z\"]", p.get("dup_empty").toString());
        assertEquals("a;b=c", p.get("semi").asText(), "';' does not split pairs");
    }

    @Test
    void malformedEscapesAreKeptLiterallyWithWarnings() {
        JsonNode record = recordFor(client.send("generic_malformed.http"));
        JsonNode p = record.get("payload");
        assertEquals("1", p.get("ok").asText());
        assertEquals("%ZZ", p.get("bad_hex").asText());
        assertEquals("%", p.get("lone").asText());
        assertEquals("%EC%84", p.get("truncated_utf8").asText());
        assertEquals("%C0%AF", p.get("overlong").asText(), "an overlong sequence never becomes '/'");
        assertEquals("a\u0000b", p.get("nul").asText());
        assertEquals("x\r\ny", p.get("crlf").asText());
        String warnings = record.at("/meta/warnings").toString();
        for (String key : List.of("bad_hex", "lone", "truncated_utf8", "overlong")) {
            assertTrue(warnings.contains(key), key + " is not in " + warnings);
        }
    }

    @Test
    void keysAreDecodedLikeValues() {
        JsonNode p = recordFor(client.post("/webhooks/generic", "application/x-www-form-urlencoded",
                "abx%3Aorder_id=ORD-1&k%20y=v".getBytes(StandardCharsets.US_ASCII))).get("payload");
        assertEquals("ORD-1", p.get("abx:order_id").asText());
        assertEquals("v", p.get("k y").asText());
    }

    @Test
    void cp949OnlySyllablesSurviveEveryEucKrLabel() {
        Charset ms949 = Charset.forName("x-windows-949");
        for (String label : List.of("euc-kr", "EUC-KR", "ks_c_5601-1987", "cp949", "windows-949", "x-windows-949", "ms949")) {
            byte[] body = concat("v=".getBytes(StandardCharsets.US_ASCII), percent("똠샾뷁 " + label, ms949));
            JsonNode record = recordFor(client.post("/webhooks/generic", "application/x-www-form-urlencoded; charset=" + label, body));
            assertEquals("똠샾뷁 " + label, record.at("/payload/v").asText(), label);
            assertEquals("MS949", record.at("/meta/charset").asText(), label);
        }
    }

    @Test
    void undeclaredCharsetFallsBackToUtf8ThenCp949() {
        JsonNode utf8 = recordFor(client.post("/webhooks/generic", "application/x-www-form-urlencoded",
                concat("w=".getBytes(StandardCharsets.US_ASCII), percent("역삼 utf8", StandardCharsets.UTF_8))));
        assertEquals("역삼 utf8", utf8.at("/payload/w").asText());
        assertEquals("UTF-8", utf8.at("/meta/charset").asText());

        Charset ms949 = Charset.forName("x-windows-949");
        JsonNode legacy = recordFor(client.post("/webhooks/generic", "application/x-www-form-urlencoded",
                concat("w=".getBytes(StandardCharsets.US_ASCII), "역삼 똠 raw".replace(' ', '+').getBytes(ms949))));
        assertEquals("역삼 똠 raw", legacy.at("/payload/w").asText(), "raw unescaped CP949 bytes decode too");
        assertEquals("MS949", legacy.at("/meta/charset").asText());
    }

    @Test
    void getQueryStringsDecodeByTheSameRules() {
        JsonNode record = recordFor(client.get("/webhooks/generic/sub/path?x=1&x=2&name=Kim+Min%20Su&h=%EA%B0%95%EB%82%A8"));
        JsonNode p = record.get("payload");
        assertEquals("[\"1\",\"2\"]", p.get("x").toString());
        assertEquals("Kim Min Su", p.get("name").asText());
        assertEquals("강남", p.get("h").asText());
        assertEquals("GET", record.at("/meta/method").asText());
        assertEquals("/sub/path", record.at("/meta/sub_path").asText());
    }

    @Test
    void jsonBodiesKeepBigIntegersExactAndTolerateABom() {
        byte[] body = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                "{\"id\": 123456789012345678901234567890, \"small\": 9007199254740993, \"price\": 1.10, \"t\": \"한글\"}"
                        .getBytes(StandardCharsets.UTF_8));
        JsonNode record = recordFor(client.post("/webhooks/generic", "application/json", body));
        String line = record.get("payload").toString();
        assertTrue(line.contains("123456789012345678901234567890"), line);
        assertTrue(line.contains("9007199254740993"), line);
        assertTrue(line.contains("1.10"), line);
        assertEquals("한글", record.at("/payload/t").asText());
    }

    @Test
    void jsonCharsetParameterIsHonoured() {
        byte[] body = "{\"memo\":\"똠 문의\"}".getBytes(Charset.forName("x-windows-949"));
        JsonNode record = recordFor(client.post("/webhooks/generic", "application/json; charset=euc-kr", body));
        assertEquals("똠 문의", record.at("/payload/memo").asText());
    }

    @Test
    void aTopLevelArrayIsABatchOfEvents() {
        HubClient.Reply r = client.post("/webhooks/generic", "application/json",
                "[{\"n\":\"batch-1\"},{\"n\":\"batch-2\"},{\"n\":\"batch-3\"}]".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.status(), r.body());
        assertEquals(3, r.json().get("ids").size());
        for (JsonNode id : r.json().get("ids")) {
            hub.lake().awaitRecord("generic", id.asText());
        }
        HubClient.Reply again = client.post("/webhooks/generic", "application/json",
                "[{\"n\":\"batch-1\"},{\"n\":\"batch-4\"}]".getBytes(StandardCharsets.UTF_8));
        assertEquals("accepted", again.json().get("status").asText());
        assertEquals("duplicate", again.json().at("/events/0/status").asText());
        assertEquals("accepted", again.json().at("/events/1/status").asText());
    }

    @Test
    void aFormLabelledBodyThatIsJsonIsDecodedAsJsonWithAWarning() {
        JsonNode record = recordFor(client.post("/webhooks/generic", "application/x-www-form-urlencoded",
                "{\"looks\":\"like json\",\"n\":1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("like json", record.at("/payload/looks").asText());
        assertTrue(record.at("/meta/warnings").toString().contains("JSON"), record.at("/meta/warnings").toString());
    }

    @Test
    void theSameJsonPrettyPrintedOrReorderedHasTheSameId() {
        HubClient.Reply a = client.post("/webhooks/generic", "application/json", "{\"k\":\"same\",\"n\":[1,2]}".getBytes(StandardCharsets.UTF_8));
        HubClient.Reply b = client.post("/webhooks/generic", "application/json",
                "{\n  \"n\" : [ 1, 2 ],\n  \"k\" : \"same\"\n}".getBytes(StandardCharsets.UTF_8));
        assertEquals(a.json().get("id"), b.json().get("id"));
        assertEquals("duplicate", b.json().get("status").asText());
    }

    private static byte[] percent(String text, Charset cs) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(cs)) {
            sb.append(String.format("%%%02X", b & 0xff));
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
