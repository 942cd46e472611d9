package hookhub.security;

import hookhub.edge.IncomingRequest;
import hookhub.edge.RequestRejected;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a request against its source's {@link AuthSpec} before anything is decoded: address allowlist (403), then
 * token and signature (401). Secrets are compared in constant time, and no message names a credential's value.
 */
public final class SourceAuth {

    private SourceAuth() {
    }

    /**
     * The client's address: the peer, or, when the peer is a trusted proxy, the right-most address in
     * X-Forwarded-For that is not itself a trusted proxy.
     */
    public static String clientAddress(IncomingRequest request, List<Cidr> trustedProxies) {
        String peer = request.remoteAddress();
        if (peer == null || trustedProxies.stream().noneMatch(c -> c.contains(peer))) {
            return peer;
        }
        String forwarded = request.header("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (trustedProxies.stream().noneMatch(c -> c.contains(hop))) {
                return hop;
            }
        }
        return hops[0].trim();
    }

    /** Throws {@link RequestRejected} 403 or 401 unless the request passes every check the source configures. */
    public static void check(IncomingRequest request, String clientAddress, String pathToken, AuthSpec auth, long now) {
        if (!auth.allowFrom().isEmpty() && (clientAddress == null || auth.allowFrom().stream().noneMatch(c -> c.contains(clientAddress)))) {
            throw new RequestRejected(403, "forbidden", "requests from this address are not allowed for this source");
        }
        if (!auth.tokens().isEmpty()) {
            String presented = presentedToken(request, pathToken, auth);
            if (presented == null) {
                throw new RequestRejected(401, "unauthorized", "this source needs a token" + where(auth));
            }
            if (!matchesAny(presented, auth.tokens())) {
                throw new RequestRejected(401, "unauthorized", "the token" + where(auth) + " is not valid");
            }
        }
        if (auth.hmac() != null) {
            checkSignature(request, auth.hmac(), now);
        }
    }

    private static String presentedToken(IncomingRequest request, String pathToken, AuthSpec auth) {
        if (auth.tokenHeader() != null) {
            String v = request.header(auth.tokenHeader());
            if (v != null) {
                return v.regionMatches(true, 0, "Bearer ", 0, 7) ? v.substring(7).trim() : v.trim();
            }
        }
        if (auth.tokenQuery() != null && request.rawQuery() != null) {
            for (String pair : request.rawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(auth.tokenQuery())) {
                    return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return auth.tokenInPath() ? pathToken : null;
    }

    private static String where(AuthSpec auth) {
        if (auth.tokenHeader() != null) {
            return " in header " + auth.tokenHeader();
        }
        if (auth.tokenQuery() != null) {
            return " in query parameter " + auth.tokenQuery();
        }
        return auth.tokenInPath() ? " in the path" : "";
    }

    /** Compares against every accepted token without stopping early, so timing tells nothing. */
    private static boolean matchesAny(String presented, List<String> tokens) {
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (String t : tokens) {
            ok |= MessageDigest.isEqual(p, t.getBytes(StandardCharsets.UTF_8));
        }
        return ok;
    }

    private static void checkSignature(IncomingRequest request, AuthSpec.HmacSpec h, long now) {
        String header = request.header(h.header());
        if (header == null) {
            throw new RequestRejected(401, "unauthorized", "this source needs a signature in header " + h.header());
        }
        byte[] signed = request.body();
        if (h.timestampHeader() != null) {
            String ts = request.header(h.timestampHeader());
            long seconds;
            try {
                seconds = Long.parseLong(ts == null ? "" : ts.trim());
            } catch (NumberFormatException e) {
                throw new RequestRejected(401, "unauthorized", "header " + h.timestampHeader() + " must carry epoch seconds");
            }
            if (Math.abs(now / 1000 - seconds) > h.tolerance().toSeconds()) {
                throw new RequestRejected(401, "unauthorized", "the signature's timestamp is outside the allowed "
                        + h.tolerance().toSeconds() + " s (replay protection)");
            }
            byte[] prefix = (seconds + ".").getBytes(StandardCharsets.US_ASCII);
            signed = new byte[prefix.length + request.body().length];
            System.arraycopy(prefix, 0, signed, 0, prefix.length);
            System.arraycopy(request.body(), 0, signed, prefix.length, request.body().length);
        }
        String presented = header.trim();
        if (!h.prefix().isEmpty() && presented.regionMatches(true, 0, h.prefix(), 0, h.prefix().length())) {
            presented = presented.substring(h.prefix().length());
        }
        byte[] expected = mac(h, signed);
        byte[] given;
        try {
            given = "base64".equalsIgnoreCase(h.encoding()) ? Base64.getDecoder().decode(presented)
                    : HexFormat.of().parseHex(presented.toLowerCase());
        } catch (IllegalArgumentException e) {
            throw new RequestRejected(401, "unauthorized", "the signature in header " + h.header() + " is not " + h.encoding());
        }
        if (!MessageDigest.isEqual(expected, given)) {
            throw new RequestRejected(401, "unauthorized", "the signature in header " + h.header() + " does not match the body");
        }
    }

    private static byte[] mac(AuthSpec.HmacSpec h, byte[] data) {
        try {
            Mac mac = Mac.getInstance(h.algorithm());
            mac.init(new SecretKeySpec(h.secret().getBytes(StandardCharsets.UTF_8), h.algorithm()));
            return mac.doFinal(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("HMAC algorithm " + h.algorithm() + " is not available", e);
        }
    }
}
