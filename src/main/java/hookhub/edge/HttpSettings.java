package hookhub.edge;

import java.time.Duration;
import java.util.List;

/**
 * hookhub.http.* and hookhub.tls.*: the public listener's address, limits and TLS.
 *
 * @param clientAuth "none", "request" or "require" (mutual TLS: only clients with a certificate from the trust store)
 */
public record HttpSettings(String host, int port, long maxBodyBytes, int maxRequestLine, int maxHeaderBytes, Duration idleTimeout,
        Duration requestTimeout, int maxConnections, List<String> trustedProxies, Tls tls) {

    /** TLS for the public port; off when no key store is configured. */
    public record Tls(String keyStore, String keyStorePassword, String keyStoreType, String trustStore, String trustStorePassword,
            String trustStoreType, String clientAuth, List<String> protocols) {

        public boolean enabled() {
            return !keyStore.isBlank();
        }
    }
}
