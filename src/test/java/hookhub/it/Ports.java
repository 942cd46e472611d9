package hookhub.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for hubs and test servers.
 *
 * <p>Ports come from below the kernel's ephemeral range when it leaves room: a port handed out here is bound only
 * later by the hub process, and in between an outgoing connection or any server on port 0 (Camel's internal one
 * included) could be given the same port by the kernel, which made a hub start fail now and then.
 */
public final class Ports {

    private static final int LOWEST = 20_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    public static int free() {
        int below = ephemeralRangeStart();
        for (int attempt = 0; below - LOWEST > 1_000 && attempt < 200; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (!HANDED_OUT.contains(candidate) && bindable(candidate)) {
                HANDED_OUT.add(candidate);
                return candidate;
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port)); // the wildcard address: free on every interface
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    private static int ephemeralRangeStart() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException notLinux) {
            return LOWEST; // no room known: fall back to the kernel's choice
        }
    }
}
