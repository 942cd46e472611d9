package hookhub.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * application/x-www-form-urlencoded bodies and raw query strings, decoded byte-exactly.
 *
 * <p>Why not URLDecoder or the HTTP engine: they decode each value with a fixed charset before we know which one
 * the sender used, and they throw on (or silently mangle) malformed escapes. We percent-decode to bytes first,
 * choose ONE charset for the whole body from those bytes, then turn each key and value into text.
 */
public final class FormDecoder {

    private FormDecoder() {
    }

    /**
     * Parses {@code raw} (form body bytes, or a raw query string's bytes). Never throws for malformed input:
     * problems become warnings and the affected text is kept as the sender wrote it.
     */
    public static DecodedForm decode(byte[] raw, String declaredCharset, String routeDefaultCharset) {
        byte[] in = raw == null ? new byte[0] : raw;
        Warnings warnings = new Warnings();
        Scan scan = Scan.of(in);
        Charset cs = CharsetChoice.choose(declaredCharset, routeDefaultCharset, scan.buf, 0, scan.len, warnings);

        TextMaker text = new TextMaker(in, scan.buf, cs, warnings);
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        for (Part p : scan.parts) {
            String key = text.make(p.keyOff, p.keyLen, p.rawKeyStart, p.rawKeyEnd, null);
            if (p.keyMalformed) {
                warnings.add("malformed percent-escape in key " + Warnings.quote(key));
            }
            String value = text.make(p.valOff, p.valLen, p.rawValStart, p.rawValEnd, key);
            if (p.valMalformed) {
                warnings.add("malformed percent-escape in " + Warnings.quote(key));
            }
            put(fields, key, value);
        }
        return new DecodedForm(fields, CharsetLabels.displayName(cs), warnings.list());
    }

    /** Repeated keys become an array in arrival order; the key keeps the position of its first occurrence. */
    private static void put(ObjectNode fields, String key, String value) {
        TextNode node = TextNode.valueOf(value);
        JsonNode existing = fields.get(key);
        if (existing == null) {
            fields.set(key, node);
        } else if (existing.isArray()) {
            ((ArrayNode) existing).add(node);
        } else {
            ArrayNode arr = fields.arrayNode(2);
            arr.add(existing);
            arr.add(node);
            fields.set(key, arr);
        }
    }

    /** One key=value pair: where its decoded bytes sit in the scratch buffer and where its raw text sits in the input. */
    private static final class Part {
        int keyOff, keyLen, valOff, valLen;
        int rawKeyStart, rawKeyEnd, rawValStart, rawValEnd;
        boolean keyMalformed, valMalformed;
    }

    /**
     * Single pass over the input: splits pairs and percent-decodes every key and value into one buffer. The decoded
     * parts are laid out as {@code key=value&key=value}, i.e. separated by ASCII bytes, so the buffer as a whole is
     * what CharsetChoice judges and a broken sequence in one part cannot pair up with bytes of the next.
     * Decoded output is never longer than the input, so one buffer of the input's size suffices.
     */
    private static final class Scan {
        final byte[] buf;
        int len;
        final List<Part> parts = new ArrayList<>();
        private boolean malformed;

        private Scan(int size) {
            buf = new byte[size];
        }

        static Scan of(byte[] in) {
            Scan s = new Scan(in.length);
            int i = 0;
            int n = in.length;
            while (i <= n) {
                int segEnd = i;
                int eq = -1;
                while (segEnd < n && in[segEnd] != '&') {
                    if (eq < 0 && in[segEnd] == '=') {
                        eq = segEnd;
                    }
                    segEnd++;
                }
                if (segEnd > i) { // "&&" and a trailing '&' give empty segments: skipped
                    s.addPair(in, i, eq, segEnd);
                }
                i = segEnd + 1;
            }
            return s;
        }

        private void addPair(byte[] in, int start, int eq, int end) {
            if (!parts.isEmpty()) {
                buf[len++] = '&';
            }
            Part p = new Part();
            int keyEnd = eq < 0 ? end : eq;
            p.rawKeyStart = start;
            p.rawKeyEnd = keyEnd;
            p.keyOff = len;
            p.keyMalformed = percentDecode(in, start, keyEnd);
            p.keyLen = len - p.keyOff;
            if (eq >= 0) {
                buf[len++] = '=';
                p.rawValStart = eq + 1;
                p.rawValEnd = end;
                p.valOff = len;
                p.valMalformed = percentDecode(in, eq + 1, end);
                p.valLen = len - p.valOff;
            } else { // "flag" without '=': value ""
                p.rawValStart = p.rawValEnd = end;
                p.valOff = len;
            }
            parts.add(p);
        }

        /** Appends the decoded bytes of in[from, to) to buf; returns true if an escape was malformed (kept literally). */
        private boolean percentDecode(byte[] in, int from, int to) {
            malformed = false;
            byte[] out = buf;
            int o = len;
            for (int i = from; i < to; i++) {
                byte b = in[i];
                if (b == '+') {
                    out[o++] = ' ';
                } else if (b == '%') {
                    int hi = i + 1 < to ? hex(in[i + 1]) : -1;
                    int lo = i + 2 < to ? hex(in[i + 2]) : -1;
                    if (hi >= 0 && lo >= 0) {
                        out[o++] = (byte) ((hi << 4) | lo);
                        i += 2;
                    } else {
                        out[o++] = '%'; // "%ZZ", a lone "%", "%4" at the end: the '%' stays, what follows is read normally
                        malformed = true;
                    }
                } else {
                    out[o++] = b; // includes raw non-ASCII bytes from legacy senders
                }
            }
            len = o;
            return malformed;
        }

        private static int hex(byte b) {
            if (b >= '0' && b <= '9') {
                return b - '0';
            }
            if (b >= 'A' && b <= 'F') {
                return b - 'A' + 10;
            }
            if (b >= 'a' && b <= 'f') {
                return b - 'a' + 10;
            }
            return -1;
        }
    }

    /** Turns decoded byte slices into text with the body's charset; per call, so its CharsetDecoder is never shared. */
    private static final class TextMaker {
        private final byte[] raw;
        private final byte[] buf;
        private final Charset cs;
        private final boolean utf8;
        private final boolean asciiCompatible;
        private final Warnings warnings;
        private CharsetDecoder decoder;

        TextMaker(byte[] raw, byte[] buf, Charset cs, Warnings warnings) {
            this.raw = raw;
            this.buf = buf;
            this.cs = cs;
            this.warnings = warnings;
            this.utf8 = cs.equals(StandardCharsets.UTF_8);
            this.asciiCompatible = utf8 || cs.equals(CharsetLabels.MS949) || cs.equals(StandardCharsets.ISO_8859_1)
                    || cs.equals(StandardCharsets.US_ASCII);
        }

        /**
         * Text of one decoded slice. If the bytes are invalid in the chosen charset, the sender's original escaped
         * text is kept instead (never U+FFFD, never a silently "fixed" overlong '/') and a warning names the key.
         *
         * @param keyForWarning null when decoding a key itself
         */
        String make(int off, int len, int rawStart, int rawEnd, String keyForWarning) {
            if (len == 0) {
                return "";
            }
            if (asciiCompatible && isAscii(off, len)) {
                return new String(buf, off, len, StandardCharsets.ISO_8859_1); // fastest path for ASCII
            }
            String s = utf8 ? utf8(off, len) : other(off, len);
            if (s != null) {
                return s;
            }
            String kept = escapedRaw(rawStart, rawEnd);
            String where = keyForWarning == null ? "key " + Warnings.quote(kept) : Warnings.quote(keyForWarning);
            warnings.add("invalid " + CharsetLabels.displayName(cs) + " in " + where + "; kept as escaped text");
            return kept;
        }

        private boolean isAscii(int off, int len) {
            for (int i = off, end = off + len; i < end; i++) {
                if (buf[i] < 0) {
                    return false;
                }
            }
            return true;
        }

        private String utf8(int off, int len) {
            return CharsetChoice.isValidUtf8(buf, off, len) ? new String(buf, off, len, StandardCharsets.UTF_8) : null;
        }

        private String other(int off, int len) {
            if (decoder == null) {
                decoder = cs.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
            }
            try {
                return decoder.reset().decode(ByteBuffer.wrap(buf, off, len)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }

        /** The raw text as sent, with raw non-ASCII and control bytes re-escaped so the result is plain ASCII. */
        private String escapedRaw(int start, int end) {
            StringBuilder b = new StringBuilder(end - start + 8);
            for (int i = start; i < end; i++) {
                int c = raw[i] & 0xff;
                if (c < 0x20 || c >= 0x7f) {
                    b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                } else {
                    b.append((char) c);
                }
            }
            return b.toString();
        }
    }
}
