package hookhub.decode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects non-fatal decoding problems; they end up in record.meta.warnings.
 * One instance per request: not thread-safe, never shared.
 */
public final class Warnings {

    private final List<String> items = new ArrayList<>(2);

    public void add(String w) {
        items.add(w);
    }

    /** Read-only view in the order the problems were found. */
    public List<String> list() {
        return Collections.unmodifiableList(items);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /**
     * Sender-supplied text (keys, labels) made safe to embed in a warning: control characters shown as \\uXXXX so
     * a decoded CR/LF or NUL never reaches a log line raw, and long text cut short.
     */
    static String quote(String s) {
        int max = 100;
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            if (i == max) {
                b.append("...");
                break;
            }
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    @Override
    public String toString() {
        return items.toString();
    }
}
