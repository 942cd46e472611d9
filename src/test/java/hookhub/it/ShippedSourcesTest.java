package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The three shipped vendor routes, driven over HTTP with realistic requests, down to the records in the local lake.
 */
class ShippedSourcesTest extends SharedHub {


    @Test
    void call050FormInUtf8AndEucKrGivesOneEventWithIdenticalValues() {
        HubClient.Reply utf8 = client.send("call050_answered_utf8.http");
        assertEquals(200, utf8.status(), utf8.body());
        assertEquals("accepted", utf8.json().get("status").asText());
        assertEquals("20251103101500-050799990001-000777", utf8.json().get("id").asText());

        // the same call from legacy senders: EUC-KR declared, ks_c_5601-1987 declared, raw CP949 undeclared, GET
        for (String other : List.of("call050_answered_euckr.http", "call050_answered_ksc5601.http",
                "call050_answered_cp949_raw_undeclared.http", "call050_answered_get.http")) {
            HubClient.Reply r = client.send(other);
            assertEquals(200, r.status(), other + ": " + r.body());
            assertEquals("duplicate", r.json().get("status").asText(), other);
            assertEquals("20251103101500-050799990001-000777", r.json().get("id").asText(), other);
        }

        JsonNode record = hub.lake().awaitRecord("call050", "20251103101500-050799990001-000777");
        JsonNode p = record.get("payload");
        assertEquals("*철수", p.get("caller_name").asText(), "the shipped route masks the caller's name");
        assertEquals("서초점 상담 요청 (평일 오후) 샾 똠", p.get("memo").asText());
        assertEquals("카카오 키워드", p.get("ad_channel").asText());
        assertEquals("https://rec.example-050.test/listen?cid=777&sig=QUJD+REVG/==&fmt=wav", p.get("rec_url").asText());
        assertTrue(p.get("caller").asText().matches("[0-9a-f]{64}"), "the shipped route stores phone numbers as keyed hashes");
        assertEquals("C09001", p.get("client_id").asText());
        assertEquals(156, p.get("duration").asInt());
        assertTrue(p.get("duration").isNumber());
        assertEquals("2025-11-03T10:15:00+09:00", p.get("start_time").asText());
        assertEquals("2025-11-03T10:15:00+09:00", record.get("event_time").asText());
        assertEquals("/provider-x", record.at("/meta/sub_path").asText());
        assertEquals("UTF-8", record.at("/meta/charset").asText());
        assertTrue(record.get("received_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertEquals(0, record.at("/meta/warnings").size());
    }

    @Test
    void missedCallKeepsEmptyValuesAndIsADistinctEvent() {
        HubClient.Reply r = client.send("call050_missed.http");
        assertEquals("accepted", r.json().get("status").asText(), r.body());
        JsonNode record = hub.lake().awaitRecord("call050", "20251103111000-050799990001-000778");
        assertEquals("", record.at("/payload/answer_time").asText());
        assertEquals("", record.at("/payload/caller_name").asText());
        assertEquals(0, record.at("/payload/duration").asInt());
        assertEquals(0, record.at("/meta/warnings").size(), "an empty time is absent, not an error");
    }

    @Test
    void appsflyerPostAndGetOfTheSamePurchaseShareOneId() {
        HubClient.Reply post = client.send("appsflyer_purchase_post.http");
        assertEquals(200, post.status(), post.body());
        HubClient.Reply get = client.send("appsflyer_purchase_get.http");
        assertEquals(200, get.status(), get.body());
        assertEquals(post.json().get("id"), get.json().get("id"));
        assertEquals("duplicate", get.json().get("status").asText());

        JsonNode record = hub.lake().awaitRecord("appsflyer", post.json().get("id").asText());
        JsonNode p = record.get("payload");
        assertTrue(p.get("event_value").isObject(), "event_value is parsed from its JSON text");
        assertEquals("ORD-20251103-000900", p.at("/event_value/af_order_id").asText());
        assertEquals("15900", p.get("event_revenue").asText());
        assertTrue(p.get("event_revenue").isNumber());
        assertEquals("11.02", p.get("event_revenue_usd").decimalValue().toPlainString());
        assertEquals("2025-11-03T01:15:00.250Z", record.get("event_time").asText());
        assertEquals("/push", record.at("/meta/sub_path").asText());
        assertFalse(record.toString().contains("af-token-TEST-secret-value-0001"), "credentials never reach a record");
    }

    @Test
    void appsflyerInstallWithNullsIsAcceptedAsADistinctEvent() {
        HubClient.Reply r = client.send("appsflyer_install_nulls.http");
        assertEquals("accepted", r.json().get("status").asText(), r.body());
        HubClient.Reply purchase = client.send("appsflyer_purchase_post.http");
        assertNotEquals(purchase.json().get("id"), r.json().get("id"));
        JsonNode record = hub.lake().awaitRecord("appsflyer", r.json().get("id").asText());
        assertTrue(record.at("/payload/customer_user_id").isNull());
        assertTrue(record.at("/payload/event_value").isObject());
    }

    @Test
    void adbrixFormAndQueryDecodeToTheSameValuesAndNeverCollideWithAppsflyer() {
        HubClient.Reply form = client.send("adbrix_purchase_post_form.http");
        assertEquals(200, form.status(), form.body());
        HubClient.Reply get = client.send("adbrix_purchase_get.http");
        assertEquals(form.json().get("id"), get.json().get("id"));
        assertEquals("duplicate", get.json().get("status").asText());

        JsonNode record = hub.lake().awaitRecord("adbrix", form.json().get("id").asText());
        JsonNode p = record.get("payload");
        assertEquals("ORD-20251103-000900", p.get("abx:order_id").asText());
        assertEquals("가을 니트 가디건", p.at("/param_json/abx:items/0/abx:product_name").asText());
        assertEquals("Android 15", p.get("os").asText());
        assertEquals("", p.get("idfa").asText());
        assertEquals("2025-11-03T01:15:00.250Z", record.get("event_time").asText());
    }

    @Test
    void lakeFilesArePartitionedByEventTimeAndHoldCompleteGzipNdjson() {
        client.send("call050_answered_utf8.http");
        hub.lake().awaitRecord("call050", "20251103101500-050799990001-000777");
        List<Path> files = hub.lake().files();
        Path lakeRoot = hub.dataDir().resolve("lake");
        Set<String> partitions = files.stream().map(f -> lakeRoot.relativize(f.getParent()).toString()).collect(Collectors.toSet());
        assertTrue(partitions.contains("source=call050/dt=2025-11-03/hour=01"), partitions.toString());
        for (Path f : files) {
            assertTrue(f.getFileName().toString().matches("part-\\d{12}-\\d{12}\\.ndjson\\.gz"), f.toString());
        }
        try (var s = Files.walk(lakeRoot)) {
            assertEquals(0, s.filter(f -> f.getFileName().toString().endsWith(".tmp")).count(), "no partial files");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void eachEventIsInTheLakeOnceAfterItsRedeliveries() {
        client.send("call050_answered_utf8.http");
        client.send("call050_answered_euckr.http");
        client.send("appsflyer_purchase_post.http");
        client.send("appsflyer_purchase_post.http");
        List<JsonNode> records = hub.lake().await(rs -> rs.stream().anyMatch(r -> r.get("source").asText().equals("appsflyer")),
                Duration.ofSeconds(30));
        Lake.sleep(1000); // a second flush must not add copies
        records = hub.lake().records();
        Set<String> keys = records.stream().map(r -> r.get("source").asText() + "/" + r.get("id").asText()).collect(Collectors.toSet());
        assertEquals(keys.size(), records.size(), "no record twice in the lake");
    }

    @Test
    void repliesCarryNoFrameworkOrRequestHeaders() {
        HubClient.Reply r = client.send("appsflyer_purchase_post.http");
        for (String name : r.headers().keySet()) {
            String n = name.toLowerCase();
            assertFalse(n.startsWith("camel") || n.startsWith("x-") || n.equals("authorization") || n.equals("user-agent"),
                    "leaked header " + name);
        }
        assertEquals("application/json", r.header("Content-Type"));
        assertNull(r.header("Authorization"));
    }
}
