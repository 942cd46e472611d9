package hookhub.decode;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** The charset decision for form bodies and query strings. */
public final class CharsetChoice {

    private CharsetChoice() {
    }

    /**
     * Order: declared (Content-Type charset param) if known -> routeDefault if known -> UTF-8 when {@code bytes}
     * is valid UTF-8 -> MS949 (legacy Korean senders that declare nothing).
     *
     * @param bytes percent-decoded bytes of all keys and values concatenated (or the raw body)
     */
    public static Charset choose(String declared, String routeDefault, byte[] bytes, Warnings warnings) {
        return choose(declared, routeDefault, bytes, 0, bytes == null ? 0 : bytes.length, warnings);
    }

    /** Same, over a slice: lets the form decoder judge its scratch buffer without copying it. */
    static Charset choose(String declared, String routeDefault, byte[] bytes, int off, int len, Warnings warnings) {
        Charset cs = known(declared, "declared", warnings);
        if (cs != null) {
            return cs;
        }
        cs = known(routeDefault, "route default", warnings);
        if (cs != null) {
            return cs;
        }
        return bytes == null || isValidUtf8(bytes, off, len) ? StandardCharsets.UTF_8 : CharsetLabels.MS949;
    }

    private static Charset known(String label, String what, Warnings warnings) {
        if (label == null || label.isBlank()) {
            return null;
        }
        Charset cs = CharsetLabels.forLabel(label);
        if (cs == null && warnings != null) {
            warnings.add("unknown charset " + Warnings.quote(label.strip()) + " (" + what + "), ignored");
        }
        return cs;
    }

    public static boolean isValidUtf8(byte[] bytes) {
        return isValidUtf8(bytes, 0, bytes.length);
    }

    /**
     * Strict UTF-8 check (RFC 3629): rejects overlong forms (C0 AF), surrogates (ED A0..BF) and code points above
     * U+10FFFF, exactly what a REPORTing CharsetDecoder rejects, without allocating.
     */
    static boolean isValidUtf8(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i];
            if (c >= 0) { // ASCII: the common case
                i++;
                continue;
            }
            c &= 0xff;
            if (c < 0xC2 || c > 0xF4) {
                return false; // continuation byte, overlong 2-byte lead (C0/C1), or out of range
            }
            if (c < 0xE0) {
                if (i + 1 >= end || !cont(b[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (c < 0xF0) {
                if (i + 2 >= end) {
                    return false;
                }
                int c1 = b[i + 1] & 0xff;
                if (!cont(b[i + 1]) || !cont(b[i + 2])
                        || (c == 0xE0 && c1 < 0xA0)     // overlong
                        || (c == 0xED && c1 > 0x9F)) {  // UTF-16 surrogates
                    return false;
                }
                i += 3;
            } else {
                if (i + 3 >= end) {
                    return false;
                }
                int c1 = b[i + 1] & 0xff;
                if (!cont(b[i + 1]) || !cont(b[i + 2]) || !cont(b[i + 3])
                        || (c == 0xF0 && c1 < 0x90)     // overlong
                        || (c == 0xF4 && c1 > 0x8F)) {  // above U+10FFFF
                    return false;
                }
                i += 4;
            }
        }
        return true;
    }

    private static boolean cont(byte x) {
        return (x & 0xC0) == 0x80;
    }
}
