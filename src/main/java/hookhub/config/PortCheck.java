package hookhub.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Camel's Vert.x server for the management port reports a failed bind only as a log line from an event loop, and the
 * hub would then run without health, metrics or status page, unnoticed by whatever watches them. Checking the port
 * before Camel starts turns "port in use" into a failed start with a clear message.
 */
final class PortCheck {

    private PortCheck() {
    }

    static void requireBindable(String setting, String host, int port) {
        if (port <= 0) {
            return; // an ephemeral port always binds
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Vert.x does: a port in TIME_WAIT is free
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + " (" + setting + "): " + e.getMessage(), e);
        }
    }
}
