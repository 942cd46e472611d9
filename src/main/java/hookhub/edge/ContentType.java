package hookhub.edge;

import java.util.Locale;

/** A parsed Content-Type header: the media type (lower case) and its charset parameter. */
record ContentType(String mediaType, String charset) {

    static final ContentType NONE = new ContentType("", null);

    static ContentType parse(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        String[] parts = header.split(";");
        String charset = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                charset = p.substring(8).trim().replace("\"", "").replace("'", "");
            }
        }
        return new ContentType(parts[0].trim().toLowerCase(Locale.ROOT), charset);
    }

    boolean isJson() {
        return mediaType.equals("application/json") || mediaType.equals("text/json") || mediaType.endsWith("+json");
    }

    boolean isForm() {
        return mediaType.equals("application/x-www-form-urlencoded");
    }

    /** No type, or one that says nothing about the format: the body is sniffed. */
    boolean isUnspecific() {
        return mediaType.isEmpty() || mediaType.equals("text/plain");
    }
}
