package hookhub.edge;

import java.util.Locale;
import java.util.Set;

/**
 * Recognises header and query-string parameter names that carry credentials (where vendors put them), so they never
 * reach a record, a quarantine file or a log line. Fields in a request body are the vendor's data and are kept.
 * Parameter names are matched exactly: vendor fields such as Adjust's {@code event_token} are data, not credentials.
 */
public final class Credentials {

    private static final Set<String> SECRET_PARAMETERS = Set.of("token", "access_token", "auth_token", "api_key", "apikey",
            "secret", "password", "signature", "sig", "hookhub_token");
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "x-api-key",
            "x-af-push-token", "x-hookhub-token");

    private Credentials() {
    }

    public static boolean isSecretHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return SECRET_HEADERS.contains(n) || n.endsWith("-token") || n.contains("secret") || n.contains("signature");
    }

    public static boolean isSecretParameter(String name) {
        return SECRET_PARAMETERS.contains(name.toLowerCase(Locale.ROOT));
    }
}
