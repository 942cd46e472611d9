package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hub that cannot bind its public or its management port does not start: it exits non-zero and says which port.
 * (Camel's management server alone would log a warning and run on without health, metrics or status page.)
 */
class PortInUseIT {

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"public", "management"})
    void aHubWhosePortIsTakenExitsAndSaysWhich(String which) throws IOException {
        HubProcess hub = new HubProcess(work);
        int taken = which.equals("public") ? hub.port() : hub.managementPort();
        try (ServerSocket squatter = new ServerSocket(taken, 50, InetAddress.getByName("127.0.0.1")); hub) {
            IllegalStateException failed = assertThrows(IllegalStateException.class, hub::start);
            assertTrue(failed.getMessage().contains("hub exited with 1"), failed.getMessage());
            assertTrue(failed.getMessage().contains("cannot listen on 127.0.0.1:" + taken), failed.getMessage());
        }
    }
}
