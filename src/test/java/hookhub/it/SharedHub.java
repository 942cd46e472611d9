package hookhub.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base for test classes whose tests share one hub with the shipped routes (started once per class: a hub takes a
 * few seconds to start). Each test uses events of its own, so they do not depend on each other's order.
 */
abstract class SharedHub {

    @TempDir
    static Path work;
    static TestHub hub;
    static HubClient client;

    @BeforeAll
    static void startSharedHub() {
        hub = TestHub.withShippedRoutes(work).start();
        client = hub.client();
    }

    @AfterAll
    static void stopSharedHub() {
        if (hub != null) {
            hub.close();
        }
    }
}
