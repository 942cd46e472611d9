package hookhub.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hookhub.edge.IncomingRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawHttpRequestTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void bodyIsKeptByteForByteAfterTheFirstBlankLine() {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes(ascii("POST /webhooks/call050/vendor-b?x=%20y\nContent-Type: text/plain; charset=EUC-KR\nX-Other:  v \n\n"));
        byte[] body = {(byte) 0xC8, (byte) 0xAB, '\n', '\n', '\r', 'z'};
        raw.writeBytes(body);
        RawHttpRequest r = RawHttpRequest.parse(raw.toByteArray());
        assertEquals("POST", r.method());
        assertEquals("/webhooks/call050/vendor-b", r.path());
        assertEquals("x=%20y", r.rawQuery());
        assertEquals("v", r.headers().get(1).getValue());
        assertArrayEquals(body, r.body());

        IncomingRequest in = r.toIncoming("127.0.0.1", 42L);
        assertEquals("text/plain; charset=EUC-KR", in.contentType());
        assertEquals("127.0.0.1", in.remoteAddress());
        assertArrayEquals(body, in.body());
    }

    @Test
    void getWithoutBodyOrQuery() {
        RawHttpRequest r = RawHttpRequest.parse(ascii("GET /webhooks/adbrix HTTP/1.1\nHost: h\n\n"));
        assertEquals("/webhooks/adbrix", r.path());
        assertNull(r.rawQuery());
        assertEquals(0, r.body().length);
        assertNull(r.toIncoming("127.0.0.1", 0).contentType());
    }

    @Test
    void crlfHeadIsTolerated() {
        RawHttpRequest r = RawHttpRequest.parse(ascii("POST /webhooks/a\r\nContent-Type: application/json\r\n\r\n{}\r\n"));
        assertEquals("application/json", r.headers().get(0).getValue());
        assertArrayEquals(ascii("{}\r\n"), r.body());
    }

    @Test
    void clientSentInternalContentTypeHeaderIsDiscarded() {
        RawHttpRequest r = RawHttpRequest.parse(ascii("POST /webhooks/a\nX-Hookhub-Content-Type: application/json\n\na=1"));
        IncomingRequest in = r.toIncoming("127.0.0.1", 0);
        assertNull(in.contentType());
        assertTrue(in.headers().isEmpty());
    }

    @Test
    void malformedHeadSaysWhichLine() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RawHttpRequest.parse(ascii("webhooks/a\n\n")))
                .getMessage().startsWith("line 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RawHttpRequest.parse(ascii("GET /a\nno colon here\n\n")))
                .getMessage().startsWith("line 2"));
    }
}
