package hookhub.decode;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/** Charset label handling. */
public final class CharsetLabels {

    /**
     * MS949 is a superset of KS X 1001 (Java's "EUC-KR"). Senders labelling a body EUC-KR are in practice Windows/Java
     * programs writing MS949, and strict EUC-KR garbles CP949-only syllables such as 똠 (8C 63). WHATWG does the same.
     */
    static final Charset MS949 = Charset.forName("x-windows-949");

    /** Every label we treat as the EUC-KR family (lower-case). Java maps some of these to strict EUC-KR or x-IBM949. */
    private static final Set<String> EUC_KR_FAMILY = Set.of(
            "euc-kr", "euc_kr", "euckr", "x-euc-kr", "cseuckr",
            "ks_c_5601-1987", "ks_c_5601-1989", "ks_c_5601", "ksc5601", "ksc_5601", "ksc5601-1987", "ksc5601_1987",
            "csksc56011987", "iso-ir-149", "korean", "5601",
            "cp949", "ms949", "ms_949", "windows-949", "windows949", "x-windows-949", "uhc");

    private CharsetLabels() {
    }

    /**
     * Java Charset for an HTTP/HTML charset label, or null if unknown/blank. Every EUC-KR-family label maps to
     * "x-windows-949" (MS949). Case-insensitive; surrounding quotes and space are trimmed.
     */
    public static Charset forLabel(String label) {
        String l = normalise(label);
        if (l == null) {
            return null;
        }
        if (EUC_KR_FAMILY.contains(l)) {
            return MS949;
        }
        if (l.equals("utf-8") || l.equals("utf8")) {
            return StandardCharsets.UTF_8;
        }
        Charset cs;
        try {
            cs = Charset.forName(l);
        } catch (IllegalArgumentException e) { // IllegalCharsetName and UnsupportedCharset both extend it
            return null;
        }
        // Java aliases we did not list (e.g. "ksc5601-1987" variants) still resolve to strict EUC-KR: widen them.
        return cs.name().equals("EUC-KR") ? MS949 : cs;
    }

    /** Canonical name we record in meta.charset: "UTF-8", "MS949" (for the EUC-KR family), else charset.name(). */
    public static String displayName(Charset cs) {
        if (cs.equals(StandardCharsets.UTF_8)) {
            return "UTF-8";
        }
        if (cs.equals(MS949) || cs.name().equals("EUC-KR")) {
            return "MS949";
        }
        return cs.name();
    }

    private static String normalise(String label) {
        if (label == null) {
            return null;
        }
        int start = 0;
        int end = label.length();
        while (start < end && isTrim(label.charAt(start))) {
            start++;
        }
        while (end > start && isTrim(label.charAt(end - 1))) {
            end--;
        }
        return start == end ? null : label.substring(start, end).toLowerCase(Locale.ROOT);
    }

    private static boolean isTrim(char c) {
        return c == '"' || c == '\'' || c <= ' ';
    }
}
