package hookhub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TryCommandTest {

    private static final String CALL050 = "routes/call050.yaml";
    private static final String CALL_ID = "20240514153012-050712340001-000123";
    private static final Charset EUC_KR = Charset.forName("EUC-KR");

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private Path request(String head, byte[] body) throws Exception {
        Path f = tmp.resolve("request.http");
        byte[] h = (head + "\n\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        Files.write(f, all);
        return f;
    }

    private int tryIt(String... args) {
        return TryCommand.run(List.of(args), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eucKrFormIsDecodedToHangulWithTheCallIdAsId() throws Exception {
        String body = "call_id=" + CALL_ID + "&start_time=20240514153012&duration=208"
                + "&caller_name=" + URLEncoder.encode("홍길동", EUC_KR)
                + "&memo=" + URLEncoder.encode("강남점 견적 문의 (주말 방문 희망)", EUC_KR);
        assertTrue(body.contains("%C8%AB%B1%E6%B5%BF")); // really EUC-KR on the wire, not UTF-8
        Path req = request("POST /webhooks/call050/vendor-b\nContent-Type: application/x-www-form-urlencoded; charset=EUC-KR",
                body.getBytes(StandardCharsets.US_ASCII));

        assertEquals(0, tryIt("try", CALL050, req.toString()), output());
        String out = output();
        assertTrue(out.startsWith("event 1 of 1\nid: " + CALL_ID + "\nwarnings: none\nrecord:\n{\n"), out);
        assertTrue(out.contains("\"caller_name\" : \"*길동\""), out); // decoded from EUC-KR, then masked by the route
        assertTrue(out.contains("\"memo\" : \"강남점 견적 문의 (주말 방문 희망)\""), out);
        assertTrue(out.contains("\"duration\" : 208,"), out); // typed by the route file
        assertTrue(out.contains("\"event_time\" : \"2024-05-14T15:30:12+09:00\""), out);
        assertTrue(out.contains("\"sub_path\" : \"/vendor-b\""), out);
        assertTrue(out.contains("\"content_type\" : \"application/x-www-form-urlencoded; charset=EUC-KR\""), out);
        assertTrue(out.contains("\"charset\" : \"MS949\""), out);
        assertTrue(out.contains("\"remote_addr\" : \"127.0.0.1\""), out);
        assertTrue(out.endsWith("1 event decoded; nothing was stored or sent\n"), out);
    }

    @Test
    void warningsArePrinted() throws Exception {
        Path req = request("GET /webhooks/call050?call_id=1&start_time=yesterday", new byte[0]);
        assertEquals(0, tryIt("try", CALL050, req.toString()), output());
        assertTrue(output().contains("id: 1\nwarnings:\n  - "), output());
        assertTrue(output().contains("event time field 'start_time'"), output());
    }

    @Test
    void malformedJsonIsRejectedWithExit1() throws Exception {
        Path req = request("POST /webhooks/call050\nContent-Type: application/json",
                "{\"call_id\": \"1\",".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, tryIt("try", CALL050, req.toString()));
        List<String> lines = output().lines().toList();
        assertEquals(1, lines.size(), output());
        assertTrue(lines.get(0).startsWith("rejected: 400 invalid_json: "), output());
    }

    @Test
    void aBodyOverTheHubsLimitIsRefusedAsTheEdgeWould() throws Exception {
        byte[] big = new byte[2 * 1024 * 1024 + 1]; // over the default hookhub.http.max-body-bytes (1MiB)
        java.util.Arrays.fill(big, (byte) 'a');
        Path req = request("POST /webhooks/call050\nContent-Type: application/x-www-form-urlencoded", big);
        assertEquals(1, tryIt("try", CALL050, req.toString()));
        assertTrue(output().startsWith("rejected: 413 body_too_large: request body is larger than hookhub.http.max-body-bytes"),
                output());
    }

    @Test
    void pathOutsideTheSourceIsTheHubs404() throws Exception {
        Path req = request("POST /webhooks/adbrix\nContent-Type: application/x-www-form-urlencoded", "a=1".getBytes(StandardCharsets.US_ASCII));
        assertEquals(1, tryIt("try", CALL050, req.toString()));
        assertEquals("rejected: 404 unknown_source: no source is configured at /webhooks/adbrix\n", output());
        bytes.reset();
        req = request("GET /webhooks/call050x?a=1", new byte[0]);
        assertEquals(1, tryIt("try", CALL050, req.toString()));
        assertEquals("rejected: 404 unknown_source: no source is configured at /webhooks/call050x\n", output());
    }

    @Test
    void unusableArgumentsExit2() throws Exception {
        assertEquals(2, tryIt("try", CALL050));
        assertTrue(output().startsWith("usage: try"), output());
        bytes.reset();
        Path req = request("GET /webhooks/call050?a=1", new byte[0]);
        assertEquals(2, tryIt("try", "src/test/resources/validate/plain.yaml", req.toString()));
        assertTrue(output().contains("kamelet:hookhub-source"), output());
        bytes.reset();
        assertEquals(2, tryIt("try", CALL050, tmp.resolve("missing.http").toString()));
        assertTrue(output().startsWith("cannot read request file"), output());
    }
}
