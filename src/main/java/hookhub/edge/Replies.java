package hookhub.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hookhub.decode.JsonBodyDecoder;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Writes hookhub's JSON replies, on a Camel exchange or straight on a Vert.x response. */
public final class Replies {

    private Replies() {
    }

    public static ObjectNode rejection(String code, String message) {
        ObjectNode n = JsonBodyDecoder.mapper().createObjectNode();
        n.put("status", "rejected");
        n.put("error", code);
        n.put("message", message);
        return n;
    }

    public static ObjectNode unavailable(String code, String message) {
        ObjectNode n = rejection(code, message);
        n.put("status", "unavailable");
        return n;
    }

    /**
     * Replaces the whole message with a JSON reply. Every header goes first: the Camel consumer would echo them all
     * back to the client as response headers.
     */
    public static void write(Exchange exchange, int status, ObjectNode body, String... extraHeaders) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
            m.setHeader(extraHeaders[i], extraHeaders[i + 1]);
        }
        m.setBody(toJson(body));
    }

    /** For requests that never reach a Camel route (unknown path, body too large). */
    public static void write(HttpServerResponse response, int status, ObjectNode body, String... extraHeaders) {
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json");
        for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
            response.putHeader(extraHeaders[i], extraHeaders[i + 1]);
        }
        response.end(toJson(body));
    }

    private static String toJson(ObjectNode body) {
        try {
            return JsonBodyDecoder.mapper().writeValueAsString(body) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
