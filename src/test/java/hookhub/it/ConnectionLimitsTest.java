package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slow and idle clients cannot hold connections, and connections above the cap get 503 with Retry-After. */
class ConnectionLimitsTest {

    @TempDir
    Path work;

    private static String readAll(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the hub kept the connection open: " + sb);
        }
        return sb.toString();
    }

    @Test
    void aTrickledRequestGets408AndIdleConnectionsAreClosed() throws Exception {
        try (TestHub hub = TestHub.withShippedRoutes(work).set("hookhub.http.request-timeout", "1s")
                .set("hookhub.http.idle-timeout", "2s").start()) {
            try (Socket slow = new Socket("127.0.0.1", hub.port())) {
                OutputStream out = slow.getOutputStream();
                out.write(("POST /webhooks/generic HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush(); // and then nothing more
                String reply = readAll(slow);
                assertTrue(reply.startsWith("HTTP/1.1 408"), reply);
                assertTrue(reply.contains("request_timeout"), reply);
            }
            try (Socket idle = new Socket("127.0.0.1", hub.port())) {
                long start = System.currentTimeMillis();
                assertEquals("", readAll(idle), "an idle connection is closed without an answer");
                assertTrue(System.currentTimeMillis() - start < 9_000);
            }
            assertEquals(200, hub.client().get("/webhooks/generic?still=fine").status());
        }
    }

    @Test
    void connectionsAboveTheCapGet503WithRetryAfter() throws Exception {
        try (TestHub hub = TestHub.withShippedRoutes(work).set("hookhub.http.max-connections", "4").start()) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    held.add(new Socket("127.0.0.1", hub.port()));
                }
                Lake.sleep(300);
                try (Socket extra = new Socket("127.0.0.1", hub.port())) {
                    extra.getOutputStream().write("GET /webhooks/generic?x=1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    String reply = readAll(extra);
                    assertTrue(reply.startsWith("HTTP/1.1 503"), reply);
                    assertTrue(reply.toLowerCase().contains("retry-after: 5"), reply);
                    assertTrue(reply.contains("too_many_connections"), reply);
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            Lake.sleep(300);
            assertEquals(200, hub.client().get("/webhooks/generic?after=cap").status(), "served again once connections closed");
        }
    }
}
