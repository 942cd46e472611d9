package hookhub.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address block such as 198.134.6.0/23 or 2001:db8::/32 (a single address is a /32 or /128). */
public record Cidr(byte[] network, int prefix, String text) {

    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        try {
            byte[] addr = literal(slash < 0 ? t : t.substring(0, slash));
            int prefix = slash < 0 ? addr.length * 8 : Integer.parseInt(t.substring(slash + 1));
            if (prefix < 0 || prefix > addr.length * 8) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
            return new Cidr(addr, prefix, t);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not an address or CIDR block: '" + text + "'");
        }
    }

    /** True when the address (a literal, never a host name) lies in this block. */
    public boolean contains(String address) {
        byte[] a;
        try {
            a = literal(address);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return false;
        }
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    /** Parses an IP literal without ever resolving a host name (no DNS lookups on the request path). */
    private static byte[] literal(String s) throws UnknownHostException {
        String v = s.trim();
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
        }
        if (v.isEmpty() || !(v.indexOf(':') >= 0 || v.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not an IP literal: " + s);
        }
        return InetAddress.getByName(v).getAddress();
    }
}
