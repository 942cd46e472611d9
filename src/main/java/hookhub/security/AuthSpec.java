package hookhub.security;

import java.time.Duration;
import java.util.List;

/**
 * A source's authentication, as its route file declares it. Each configured check must pass (fail-closed); a source
 * that configures none is open, and start-up says so.
 *
 * @param tokens       accepted secret tokens (several at once, for rotation); empty: no token check
 * @param tokenHeader  header carrying the token (the whole value, or "Bearer &lt;token&gt;")
 * @param tokenQuery   query parameter carrying the token
 * @param tokenInPath  the first path segment after /webhooks/&lt;source&gt; is the token
 * @param allowFrom    client address blocks allowed; empty: any
 * @param hmac         signature over the raw body; null: none
 */
public record AuthSpec(List<String> tokens, String tokenHeader, String tokenQuery, boolean tokenInPath, List<Cidr> allowFrom,
        HmacSpec hmac) {

    public static final AuthSpec OPEN = new AuthSpec(List.of(), null, null, false, List.of(), null);

    public boolean open() {
        return tokens.isEmpty() && allowFrom.isEmpty() && hmac == null;
    }

    /**
     * @param secret          shared secret
     * @param header          header carrying the signature
     * @param algorithm       Mac algorithm (HmacSHA256, HmacSHA1, HmacSHA512)
     * @param encoding        hex or base64
     * @param prefix          text before the signature in the header, e.g. "sha256=" (or empty)
     * @param timestampHeader header carrying the signing time in epoch seconds; when set the signature covers
     *                        "&lt;timestamp&gt;.&lt;body&gt;" and the time must be within tolerance
     */
    public record HmacSpec(String secret, String header, String algorithm, String encoding, String prefix, String timestampHeader,
            Duration tolerance) {
    }
}
