package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hookhub.config.HubSettings;
import hookhub.decode.CanonicalJson;
import hookhub.decode.JsonBodyDecoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The Airbridge, Adjust, Branch, Singular and generic routes, driven over HTTP with realistic requests, down to the
 * records in the local lake. All tests share one hub, so a fixture's first "accepted" is asserted only in the one test
 * that owns it; other tests send their own variants.
 */
class MoreVendorsTest extends SharedHub {

    private static final String AIRBRIDGE_ORDER_UUID = "5a0f3c2e-8d41-4b7a-9e62-1f0c4d2b9a77";
    private static final String BRANCH_PURCHASE_ID = "1234567890123456789";
    private static final String BRANCH_INSTALL_ID = "1234567890123456788";
    private static final String ORDER_ID = "ORD-20251103-000900";


    // ---------------------------------------------------------------- Airbridge

    @Test
    void airbridgePostRedeliveryAndGetOfTheSameOrderShareTheEventUuid() {
        HubClient.Reply post = client.send("airbridge_order_post.http");
        assertEquals(200, post.status(), post.body());
        assertEquals("accepted", status(post));
        assertEquals(AIRBRIDGE_ORDER_UUID, id(post), "eventUUID is the id as is");

        HubClient.Reply again = client.send("airbridge_order_post.http");
        assertEquals(200, again.status(), again.body());
        assertEquals("duplicate", status(again));
        assertEquals(AIRBRIDGE_ORDER_UUID, id(again));

        HubClient.Reply get = client.send("airbridge_order_get.http");
        assertEquals(200, get.status(), get.body());
        assertEquals("duplicate", status(get), "the GET postback of the same event is a redelivery");
        assertEquals(AIRBRIDGE_ORDER_UUID, id(get));

        JsonNode record = hub.lake().awaitRecord("airbridge", AIRBRIDGE_ORDER_UUID);
        assertEquals("2025-11-03T01:15:00.250Z", record.get("event_time").asText(), "eventTimestamp is epoch millis");
        JsonNode p = record.get("payload");
        assertTrue(p.get("eventTimestamp").isIntegralNumber());
        assertEquals(1762132500250L, p.get("eventTimestamp").longValue());
        assertEquals("airbridge.ecommerce.order.completed", p.get("eventCategory").asText());
        assertEquals(ORDER_ID, p.at("/eventData/goal/semanticAttributes/transactionID").asText());
        assertEquals("가을 니트 가디건", p.at("/eventData/goal/semanticAttributes/products/0/name").asText());
        assertEquals(15900, p.at("/eventData/goal/value").intValue());
        assertTrue(p.at("/device/limitAdTracking").isBoolean());
        assertEquals("POST", record.at("/meta/method").asText(), "the first delivery is the one recorded");
        assertEquals("/example-store", record.at("/meta/sub_path").asText(), "Airbridge's per-app path");
        assertEquals(0, record.at("/meta/warnings").size(), record.toString());

        Lake.sleep(700); // a later flush must not add the redeliveries
        assertEquals(1, recordsOf("airbridge", AIRBRIDGE_ORDER_UUID).size(), "one event, however often it came");
    }

    @Test
    void airbridgeGetKeysAreTypedLikeTheJsonBody() {
        String uuid = "7d3e9b14-2c6a-4f0e-b8d1-5a9c0e7f2b36";
        RawRequest template = RawRequest.resource("airbridge_order_get.http");
        RawRequest get = withTarget(template, template.target().replace(AIRBRIDGE_ORDER_UUID, uuid));
        HubClient.Reply r = client.send(get);
        assertEquals(200, r.status(), r.body());
        assertEquals("accepted", status(r));
        assertEquals(uuid, id(r));

        JsonNode record = hub.lake().awaitRecord("airbridge", uuid);
        assertEquals("2025-11-03T01:15:00.250Z", record.get("event_time").asText());
        JsonNode p = record.get("payload");
        assertTrue(p.get("eventTimestamp").isIntegralNumber(), "query text typed as a number, as in the JSON body");
        assertEquals(1762132500250L, p.get("eventTimestamp").longValue());
        assertTrue(p.get("eventData.goal.value").isNumber(), p.toString());
        assertEquals("15900", p.get("eventData.goal.value").decimalValue().toPlainString());
        assertTrue(p.get("device.limitAdTracking").isBoolean());
        assertFalse(p.get("device.limitAdTracking").booleanValue());
        assertEquals("google.adwords", p.get("attribution.channel").asText(), "dotted GET keys stay flat");
        assertEquals("GET", record.at("/meta/method").asText());
        assertEquals(0, record.at("/meta/warnings").size(), record.toString());
    }

    @Test
    void airbridgeOtherEventIsDistinctAndAPostbackWithoutEventUuidFallsBackToThePayloadHash() {
        HubClient.Reply open = client.send("airbridge_open_post.http");
        assertEquals(200, open.status(), open.body());
        assertEquals("accepted", status(open));
        assertEquals("0c9d7e51-3f2a-4e8b-a1d6-7b4e2c9f0e13", id(open));
        assertNotEquals(AIRBRIDGE_ORDER_UUID, id(open));
        JsonNode openRecord = hub.lake().awaitRecord("airbridge", id(open));
        assertEquals("2025-11-03T00:00:00Z", openRecord.get("event_time").asText());

        byte[] noUuid = ("{\"eventTimestamp\":1762128600000,\"eventCategory\":\"airbridge.openApp\","
                + "\"device\":{\"deviceUUID\":\"aa11bb22-0000-4000-8000-000000000901\"}}")
                .getBytes(StandardCharsets.UTF_8);
        HubClient.Reply r = client.post("/webhooks/airbridge", "application/json", noUuid);
        assertEquals(200, r.status(), r.body());
        assertEquals("accepted", status(r));
        assertTrue(id(r).matches("[0-9a-f]{64}"), id(r));
        JsonNode record = hub.lake().awaitRecord("airbridge", id(r));
        assertEquals(CanonicalJson.sha256Hex(record.get("payload")), id(r));
        assertTrue(record.at("/meta/warnings").toString().contains("dedup key [eventUUID] is missing"),
                record.at("/meta/warnings").toString());
    }

    // ---------------------------------------------------------------- Adjust

    @Test
    void adjustRetriedCallbackIsADuplicateWhileAnotherSecondActivityOrEventIsDistinct() {
        RawRequest purchase = RawRequest.resource("adjust_purchase_get.http");
        HubClient.Reply first = client.send(purchase);
        assertEquals(200, first.status(), first.body());
        assertEquals("accepted", status(first));
        ArrayNode key = JsonBodyDecoder.mapper().createArrayNode()
                .add("4f2c9e0b7a1d3c5e8f6a2b4d9c0e1f37").add("event").add(1762132500).add("f8k2qz");
        assertEquals(CanonicalJson.sha256Hex(key), id(first),
                "the id hashes adid, activity_kind, created_at, event_token");

        HubClient.Reply retry = client.send(purchase);
        assertEquals(200, retry.status(), retry.body());
        assertEquals("duplicate", status(retry), "Adjust's retry of the same callback");
        assertEquals(id(first), id(retry));

        HubClient.Reply session = client.send("adjust_session_get.http");
        assertEquals("accepted", status(session), "a session in the same second is another activity");
        assertNotEquals(id(first), id(session));

        HubClient.Reply nextSecond = client.send(withTarget(purchase,
                purchase.target().replace("created_at=1762132500", "created_at=1762132501")));
        assertEquals("accepted", status(nextSecond), "a second purchase one second later");
        assertNotEquals(id(first), id(nextSecond));

        HubClient.Reply otherEvent = client.send(withTarget(purchase,
                purchase.target().replace("event_token=f8k2qz", "event_token=q7w3er").replace("event_name=Purchase",
                        "event_name=AddToCart")));
        assertEquals("accepted", status(otherEvent), "another event token in the same second");
        assertEquals(4, Set.of(id(first), id(session), id(nextSecond), id(otherEvent)).size());

        JsonNode record = hub.lake().awaitRecord("adjust", id(first));
        assertEquals("2025-11-03T01:15:00Z", record.get("event_time").asText(), "created_at is unix seconds");
        JsonNode p = record.get("payload");
        assertEquals(1762132500, p.get("created_at").longValue());
        assertTrue(p.get("created_at").isIntegralNumber());
        assertTrue(p.get("installed_at").isIntegralNumber());
        assertEquals("15900.00", p.get("revenue_float").decimalValue().toPlainString(), "scale kept");
        assertEquals("11.02", p.get("revenue_usd").decimalValue().toPlainString());
        assertTrue(p.get("is_organic").isBoolean());
        assertFalse(p.get("is_organic").booleanValue());
        assertEquals("Google Ads ACI::KR_Autumn_2025::1+1_offer::video_15s", p.get("tracker_name").asText(),
                "Adjust's pre-encoded tracker_name is decoded exactly once: %2B is a plus, never a space");
        assertEquals("Example Store", p.get("app_name").asText());
        assertEquals("", p.get("idfa").asText());
        assertEquals("GET", record.at("/meta/method").asText());
        assertEquals(0, record.at("/meta/warnings").size(), record.toString());
    }

    @Test
    void adjustInstallWithoutEventTokenIsTheSameEventWhetherEmptyPlaceholdersAreSentOrDropped() {
        RawRequest install = RawRequest.resource("adjust_install_organic_get.http");
        HubClient.Reply r = client.send(install);
        assertEquals(200, r.status(), r.body());
        assertEquals("accepted", status(r));

        // Adjust drops placeholders without data; the same install without them is the same key
        String dropped = install.target().replace("&event_token=&event_name=", "&").replace("&click_time=&", "&");
        assertNotEquals(install.target(), dropped);
        HubClient.Reply again = client.send(withTarget(install, dropped));
        assertEquals("duplicate", status(again), again.body());
        assertEquals(id(r), id(again));

        JsonNode record = hub.lake().awaitRecord("adjust", id(r));
        assertEquals("2025-11-03T02:00:00Z", record.get("event_time").asText());
        JsonNode p = record.get("payload");
        assertEquals("install", p.get("activity_kind").asText());
        assertEquals("", p.get("event_token").asText());
        assertTrue(p.get("is_organic").booleanValue());
        assertEquals("iPhone16,2", p.get("device_name").asText());
        assertEquals("", p.get("click_time").asText(), "an empty typed field stays empty, without a warning");
        assertEquals(0, record.at("/meta/warnings").size(), record.toString());
    }

    @Test
    void dedupWindowOutlastsTheDocumentedRetrySchedules() {
        Duration window = new HubSettings(hub.main().getCamelContext()).duration("hookhub.dedup.window");
        assertTrue(window.compareTo(Duration.ofHours(24)) >= 0, "Adjust retries for up to 24 h; window " + window);
        assertTrue(window.compareTo(Duration.ofMinutes(1 + 5 + 15 + 30 + 60)) >= 0,
                "Singular's five retries; window " + window);
    }

    // ---------------------------------------------------------------- Branch

    @Test
    void branchIdAboveTwoToThe53KeepsEveryDigitAndTheGetOfTheSameEventIsADuplicate() {
        HubClient.Reply purchase = client.send("branch_purchase_post.http");
        assertEquals(200, purchase.status(), purchase.body());
        assertEquals("accepted", status(purchase));
        assertEquals(BRANCH_PURCHASE_ID, id(purchase));
        assertTrue(purchase.body().contains("\"id\":\"" + BRANCH_PURCHASE_ID + "\""), purchase.body());

        HubClient.Reply get = client.send("branch_purchase_get.http"); // the same event from a GET URL template
        assertEquals(200, get.status(), get.body());
        assertEquals("duplicate", status(get));
        assertEquals(BRANCH_PURCHASE_ID, id(get));

        // one below: as doubles both are 1234567890123456768, so a 53-bit reader would call this a duplicate
        HubClient.Reply install = client.send("branch_install_post.http");
        assertEquals(200, install.status(), install.body());
        assertEquals("accepted", status(install));
        assertEquals(BRANCH_INSTALL_ID, id(install));

        JsonNode record = hub.lake().awaitRecord("branch", BRANCH_PURCHASE_ID);
        JsonNode p = record.get("payload");
        assertTrue(p.get("id").isIntegralNumber(), "id stays a JSON number");
        assertEquals(new BigInteger(BRANCH_PURCHASE_ID), p.get("id").bigIntegerValue());
        assertEquals(new BigInteger("1234567890123450001"), p.at("/last_attributed_touch_data/~id").bigIntegerValue());
        assertEquals("2025-11-03T01:15:00.250Z", record.get("event_time").asText(), "timestamp is epoch millis");
        assertEquals("1445.45", p.at("/event_data/tax").decimalValue().toPlainString());
        assertEquals("가을 니트 가디건", p.at("/content_items/0/$product_name").asText());
        assertEquals(0, record.at("/meta/warnings").size(), record.toString());

        String line = rawLines().stream().filter(l -> l.contains("\"source\":\"branch\"")
                && l.startsWith("{\"id\":\"" + BRANCH_PURCHASE_ID + "\"")).findFirst().orElseThrow();
        assertTrue(line.contains("\"payload\":{\"name\":\"PURCHASE\",\"id\":" + BRANCH_PURCHASE_ID + ","),
                "the lake line carries the id's digits as written: " + line);
        assertTrue(line.contains("\"~id\":1234567890123450001,"), line);

        JsonNode installRecord = hub.lake().awaitRecord("branch", BRANCH_INSTALL_ID);
        assertEquals(new BigInteger(BRANCH_INSTALL_ID), installRecord.at("/payload/id").bigIntegerValue());
        assertEquals("2025-11-01T12:26:40Z", installRecord.get("event_time").asText());
    }

    @Test
    void branchGetTemplateTypesItsNumbersLikeTheJsonBody() {
        String other = "1234567890123456790";
        RawRequest template = RawRequest.resource("branch_purchase_get.http");
        HubClient.Reply open = client.send(withTarget(template, template.target()
                .replace("id=" + BRANCH_PURCHASE_ID, "id=" + other).replace("name=PURCHASE", "name=OPEN")));
        assertEquals("accepted", status(open), open.body());
        assertEquals(other, id(open));
        JsonNode record = hub.lake().awaitRecord("branch", other);
        assertTrue(record.at("/payload/id").isIntegralNumber(), "the query's id text is typed like the JSON number");
        assertEquals(new BigInteger(other), record.at("/payload/id").bigIntegerValue());
        assertEquals(1762132500250L, record.at("/payload/timestamp").longValue());
        assertEquals("2025-11-03T01:15:00.250Z", record.get("event_time").asText());
    }

    // ---------------------------------------------------------------- Singular

    @Test
    void singularRetriesAreDuplicatesAnsweredWithExactly200() throws IOException {
        RawRequest purchase = RawRequest.resource("singular_purchase_post.http");
        HubClient.Reply first = client.send(purchase);
        assertEquals(200, first.status(), first.body());
        assertEquals("accepted", status(first));
        JsonNode sent = JsonBodyDecoder.mapper().readTree(purchase.body());
        assertEquals(CanonicalJson.sha256Hex(sent), id(first), "no dedup key: the id is the canonical payload hash");

        HubClient.Reply retry = client.send(purchase);
        assertEquals(200, retry.status(), "Singular counts only 200 as success: " + retry.body());
        assertEquals("duplicate", status(retry));
        assertEquals(id(first), id(retry));

        // the same payload serialised another way (keys reversed, pretty-printed) is still the same event
        ObjectNode reversed = JsonBodyDecoder.mapper().createObjectNode();
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(sent.properties());
        for (int i = fields.size() - 1; i >= 0; i--) {
            reversed.set(fields.get(i).getKey(), fields.get(i).getValue());
        }
        HubClient.Reply reordered = client.post(purchase.target(), "application/json",
                JsonBodyDecoder.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(reversed));
        assertEquals(200, reordered.status(), reordered.body());
        assertEquals("duplicate", status(reordered));
        assertEquals(id(first), id(reordered));

        HubClient.Reply install = client.send("singular_install_post.http");
        assertEquals(200, install.status(), install.body());
        assertEquals("accepted", status(install));
        assertNotEquals(id(first), id(install));

        JsonNode record = hub.lake().awaitRecord("singular", id(first));
        assertEquals("2025-11-03T01:15:00.250Z", record.get("event_time").asText());
        JsonNode p = record.get("payload");
        assertEquals("__iap__", p.get("event_name").asText());
        assertEquals("11.02", p.get("revenue_usd").decimalValue().toPlainString());
        assertTrue(p.get("is_reengagement").isBoolean());
        assertEquals("2025-11-01T12:26:40Z", p.get("install_timestamp").asText());
        assertTrue(p.get("idfa").isNull(), "JSON nulls stay null");
        assertEquals("가을 니트 가디건", p.at("/event_attributes/item_name").asText());
        assertEquals("example-store", record.at("/meta/query/app").asText(), "the configured URL's own query");
        assertEquals(0, record.at("/meta/warnings").size(), record.toString());
        JsonNode installRecord = hub.lake().awaitRecord("singular", id(install));
        assertEquals("2025-11-01T12:26:40Z", installRecord.get("event_time").asText());
    }

    // ---------------------------------------------------------------- generic and across vendors

    @Test
    void genericIdIsTheCanonicalPayloadHash() {
        byte[] a = "{\"order\":\"G-1001\",\"amount\":1200,\"tags\":[\"x\",\"y\"]}".getBytes(StandardCharsets.UTF_8);
        byte[] b = "{ \"tags\": [\"x\", \"y\"], \"amount\": 1200, \"order\": \"G-1001\" }"
                .getBytes(StandardCharsets.UTF_8);
        HubClient.Reply first = client.post("/webhooks/generic/crm", "application/json", a);
        assertEquals(200, first.status(), first.body());
        assertEquals("accepted", status(first));
        HubClient.Reply second = client.post("/webhooks/generic/crm", "application/json", b);
        assertEquals("duplicate", status(second), "same content, other key order and spacing");
        assertEquals(id(first), id(second));

        JsonNode record = hub.lake().awaitRecord("generic", id(first));
        assertEquals(CanonicalJson.sha256Hex(record.get("payload")), id(first));
        assertFalse(record.has("event_time"), "generic declares no event-time field");
        assertEquals("/crm", record.at("/meta/sub_path").asText());
    }

    @Test
    void eventsOfDifferentVendorsNeverCollide() {
        // the same bytes under two sources give the same payload hash, yet they are two events
        RawRequest singular = variant("singular_purchase_post.http", "01:15:00.250Z", "01:15:00.252Z");
        HubClient.Reply s = client.send(singular);
        assertEquals(200, s.status(), s.body());
        assertEquals("accepted", status(s));
        HubClient.Reply g = client.post("/webhooks/generic", "application/json", singular.body());
        assertEquals(200, g.status(), g.body());
        assertEquals(id(s), id(g), "same canonical payload, same hash");
        assertEquals("accepted", status(g), "an id held by singular is no duplicate in generic");
        hub.lake().awaitRecord("singular", id(s));
        hub.lake().awaitRecord("generic", id(g));

        // one purchase (order ORD-20251103-000900, device aa11bb22-…) reported by six vendors: six events. The
        // fixtures of this hub's other tests are varied in their key fields so every event here is new.
        Map<String, RawRequest> purchases = new TreeMap<>(Map.of(
                "appsflyer", RawRequest.resource("appsflyer_purchase_post.http"),
                "adbrix", RawRequest.resource("adbrix_purchase_post_form.http"),
                "airbridge", variant("airbridge_order_post.http", AIRBRIDGE_ORDER_UUID,
                        "e4b1a7c2-6d38-4f95-8a0b-3c7e1d9f5a20"),
                "adjust", variant("adjust_purchase_get.http", "created_at=1762132500", "created_at=1762132502"),
                "branch", variant("branch_purchase_post.http", BRANCH_PURCHASE_ID, "1234567890123456791"),
                "singular", variant("singular_purchase_post.http", "01:15:00.250Z", "01:15:00.251Z")));
        Map<String, String> ids = new TreeMap<>();
        for (Map.Entry<String, RawRequest> e : purchases.entrySet()) {
            HubClient.Reply r = client.send(e.getValue());
            assertEquals(200, r.status(), e.getKey() + ": " + r.body());
            assertEquals("accepted", status(r), e.getKey() + ": " + r.body());
            ids.put(e.getKey(), id(r));
        }
        for (Map.Entry<String, String> e : ids.entrySet()) {
            JsonNode record = hub.lake().awaitRecord(e.getKey(), e.getValue());
            assertTrue(record.toString().contains(ORDER_ID), e.getKey() + " record carries the order: " + record);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String status(HubClient.Reply r) {
        return r.json().path("status").asText();
    }

    private static String id(HubClient.Reply r) {
        return r.json().path("id").asText();
    }

    /** A fixture with one text replaced in its target and body (another event of the same shape). */
    private static RawRequest variant(String fixture, String from, String to) {
        RawRequest r = RawRequest.resource(fixture);
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(r.target().contains(from) || body.contains(from), fixture + " has no " + from);
        return new RawRequest(r.method(), r.target().replace(from, to), r.headers(),
                body.replace(from, to).getBytes(StandardCharsets.UTF_8));
    }

    private static RawRequest withTarget(RawRequest r, String target) {
        return new RawRequest(r.method(), target, r.headers(), r.body());
    }

    private static List<JsonNode> recordsOf(String source, String id) {
        return hub.lake().records().stream()
                .filter(r -> r.path("source").asText().equals(source) && r.path("id").asText().equals(id)).toList();
    }

    /** The lake's NDJSON lines exactly as written, to see numbers before any JSON reader touches them. */
    private static List<String> rawLines() {
        List<String> lines = new ArrayList<>();
        for (Path f : hub.lake().files()) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
                r.lines().forEach(lines::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }
}
