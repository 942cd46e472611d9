package hookhub.edge;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hookhub.decode.JsonBodyDecoder;
import hookhub.edge.AcceptResults.Result;
import hookhub.ops.HubMetrics;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The 200 reply once every event of the request is stored: {@code {"status":"accepted","id":…}} or
 * {@code {"status":"duplicate","id":…}}; for a batch, the ids and each event's status.
 */
public final class AcceptedReply implements Processor {

    private final HubMetrics metrics;

    public AcceptedReply(HubMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Result> results = exchange.getProperty("hookhub.results", List.class);
        if (results == null || results.isEmpty()) {
            throw new IllegalStateException("no accept results on the exchange");
        }
        ObjectNode body = JsonBodyDecoder.mapper().createObjectNode();
        boolean allDuplicate = results.stream().allMatch(Result::duplicate);
        body.put("status", allDuplicate ? "duplicate" : "accepted");
        if (results.size() == 1) {
            body.put("id", results.get(0).id());
        } else {
            ArrayNode ids = body.putArray("ids");
            ArrayNode each = body.putArray("events");
            for (Result r : results) {
                ids.add(r.id());
                each.addObject().put("id", r.id()).put("status", r.duplicate() ? "duplicate" : "accepted");
            }
        }
        String source = exchange.getProperty(DecodeRequest.SOURCE, String.class);
        long duplicates = results.stream().filter(Result::duplicate).count();
        metrics.answered(source, results.size() - (int) duplicates, (int) duplicates);
        IncomingRequest request = exchange.getProperty(DecodeRequest.REQUEST, IncomingRequest.class);
        metrics.requestDuration(source, allDuplicate ? "duplicate" : "accepted", System.currentTimeMillis() - request.receivedAt());
        Replies.write(exchange, 200, body);
    }
}
