package hookhub.edge;

import hookhub.ops.HubMetrics;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling shared by every route (Kamelet, vendor and core routes): a rejected request gets its 4xx JSON
 * answer, anything that kept an event from being stored gets 503 with Retry-After. Exceptions are handled where they
 * are thrown, so the caller route just carries the reply back.
 */
public final class ErrorReplies extends RouteConfigurationBuilder {

    private final RejectedReply rejected;
    private final UnavailableReply unavailable;

    public ErrorReplies(Quarantine quarantine, HubMetrics metrics) {
        this.rejected = new RejectedReply(quarantine, metrics);
        this.unavailable = new UnavailableReply(metrics);
    }

    @Override
    public void configuration() {
        routeConfiguration()
                .onException(RequestRejected.class).handled(true).process(rejected).end()
                .onException(Exception.class).handled(true).process(unavailable).end();
    }
}
