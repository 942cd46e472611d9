package hookhub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with enforced client certificates (mutual TLS) on the public port, with key and trust stores made by keytool
 * the way docs/security.md tells operators to.
 */
class TlsTest {

    static final String PASSWORD = "changeit-test";

    @TempDir
    static Path work;
    static TestHub hub;
    static Path serverKeys;
    static Path clientKeys;
    static Path strangerKeys;
    static Path serverTrust;
    static Path clientTrust;

    @BeforeAll
    static void start() throws Exception {
        serverKeys = keyPair("server", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        clientKeys = keyPair("vendor", "CN=acme-vendor", null);
        strangerKeys = keyPair("stranger", "CN=stranger", null);
        serverTrust = trustStore("server-trust", clientKeys, "vendor");
        clientTrust = trustStore("client-trust", serverKeys, "server");
        hub = TestHub.withShippedRoutes(work.resolve("hub"))
                .set("hookhub.tls.key-store", serverKeys.toString()).set("hookhub.tls.key-store-password", PASSWORD)
                .set("hookhub.tls.trust-store", serverTrust.toString()).set("hookhub.tls.trust-store-password", PASSWORD)
                .set("hookhub.tls.client-auth", "require").start();
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aClientWithATrustedCertificateIsServed() throws Exception {
        HttpResponse<String> r = client(clientKeys).send(request(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void aClientWithoutACertificateGetsNoResponse() {
        assertThrows(IOException.class, () -> client(null).send(request(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void aClientWithAnUntrustedCertificateGetsNoResponse() {
        assertThrows(IOException.class, () -> client(strangerKeys).send(request(), HttpResponse.BodyHandlers.ofString()));
    }

    private static HttpRequest request() {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + hub.port() + "/webhooks/generic?tls=1"))
                .timeout(Duration.ofSeconds(10)).GET().build();
    }

    private static HttpClient client(Path keys) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = null;
        if (keys != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keys), PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(clientTrust));
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static KeyStore load(Path p) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static Path keyPair(String alias, String dname, String ext) throws Exception {
        Path p = work.resolve(alias + ".p12");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(keytool(), "-genkeypair", "-alias", alias,
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", dname, "-storetype", "PKCS12",
                "-keystore", p.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (ext != null) {
            cmd.addAll(java.util.List.of("-ext", ext));
        }
        run(cmd);
        return p;
    }

    private static Path trustStore(String name, Path from, String alias) throws Exception {
        Path cert = work.resolve(alias + ".crt");
        Path store = work.resolve(name + ".p12");
        run(java.util.List.of(keytool(), "-exportcert", "-alias", alias, "-keystore", from.toString(), "-storepass", PASSWORD,
                "-rfc", "-file", cert.toString()));
        run(java.util.List.of(keytool(), "-importcert", "-noprompt", "-alias", alias, "-file", cert.toString(), "-storetype",
                "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD));
        return store;
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(java.util.List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError(cmd + " failed: " + out);
        }
    }
}
