package hookhub.decode;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/** How a route's timestamps are written; immutable and thread-safe, so routes can build one and share it. */
public final class TimestampFormat {

    private enum Kind { ISO, EPOCH_SECONDS, EPOCH_MILLIS, PATTERN }

    /** ISO-8601 local date-time with an optional offset in any common spelling (Z, +09:00, +0900, +09). */
    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHmm", "Z").optionalEnd() // the colon-less "+0900" vendors send
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);

    private static final int MAX_EPOCH_TEXT = 32;

    private final Kind kind;
    private final DateTimeFormatter formatter;
    private final ZoneId zone;

    private TimestampFormat(Kind kind, DateTimeFormatter formatter, ZoneId zone) {
        this.kind = kind;
        this.formatter = formatter;
        this.zone = zone;
    }

    /**
     * @param pattern a DateTimeFormatter pattern, or "iso", "epoch-seconds", "epoch-millis"; null/blank = "iso"
     * @param zone    ZoneId for texts without an offset; null/blank = "UTC"
     * @throws IllegalArgumentException for an invalid pattern or zone
     */
    public static TimestampFormat of(String pattern, String zone) {
        ZoneId z;
        try {
            z = zone == null || zone.isBlank() ? ZoneOffset.UTC : ZoneId.of(zone.strip());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("invalid time zone '" + zone + "': " + e.getMessage(), e);
        }
        String p = pattern == null ? "" : pattern.strip();
        switch (p.toLowerCase(Locale.ROOT)) {
            case "":
            case "iso":
                return new TimestampFormat(Kind.ISO, ISO, z);
            case "epoch-seconds":
                return new TimestampFormat(Kind.EPOCH_SECONDS, null, z);
            case "epoch-millis":
                return new TimestampFormat(Kind.EPOCH_MILLIS, null, z);
            default:
                try {
                    // STRICT so "20240230..." is rejected instead of silently becoming Feb 29; STRICT needs the
                    // proleptic year 'u' because 'y' (year-of-era) would also demand an era field.
                    return new TimestampFormat(Kind.PATTERN, DateTimeFormatter.ofPattern(yearOfEraToYear(p), Locale.ENGLISH)
                            .withResolverStyle(ResolverStyle.STRICT), z);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid timestamp pattern '" + pattern + "': " + e.getMessage(), e);
                }
        }
    }

    /** Parses text -> OffsetDateTime, or null if it does not parse. Texts without an offset are read in the zone. */
    public OffsetDateTime parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.isEmpty()) {
            return null;
        }
        try {
            switch (kind) {
                case EPOCH_SECONDS:
                    return epochSeconds(s);
                case EPOCH_MILLIS:
                    return isInteger(s) && s.length() <= MAX_EPOCH_TEXT
                            ? OffsetDateTime.ofInstant(Instant.ofEpochMilli(Long.parseLong(s)), zone) : null;
                case ISO:
                    // "2024-05-14 03:21:09" is how half the senders write ISO: accept the space separator.
                    if (s.length() > 10 && s.charAt(10) == ' ') {
                        s = s.substring(0, 10) + 'T' + s.substring(11);
                    }
                    return resolve(best(ISO.parse(s), false));
                default:
                    return resolve(best(formatter.parse(s), true));
            }
        } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * ISO-8601 text keeping the offset ("Z" for UTC), with a fraction only when non-zero: 3 digits for milliseconds,
     * 6 or 9 when the source had finer digits (never dropping precision). "2024-05-14T03:21:09.512Z".
     */
    public static String format(OffsetDateTime t) {
        StringBuilder b = new StringBuilder(35);
        // by hand: DateTimeFormatter.format and String.format were 2 % of the hub's CPU (two timestamps per event)
        if (!appendDateTime(b, t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond())) {
            b.append(SECONDS.format(t));
        }
        int nano = t.getNano();
        if (nano != 0) {
            int keep = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
            b.append('.');
            pad(b, keep == 3 ? nano / 1_000_000 : keep == 6 ? nano / 1_000 : nano, keep);
        }
        return b.append(t.getOffset().getId()).toString();
    }

    /** "2024-05-14T03:21:09.512Z": epoch milliseconds in UTC, always with milliseconds (received_at). */
    public static String formatUtcMillis(long epochMillis) {
        OffsetDateTime t = Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(24);
        if (!appendDateTime(b, t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond())) {
            b.append(SECONDS.format(t));
        }
        b.append('.');
        pad(b, t.getNano() / 1_000_000, 3);
        return b.append('Z').toString();
    }

    /** uuuu-MM-dd'T'HH:mm:ss for years 0..9999; false (nothing appended) for others, which need the formatter's sign. */
    private static boolean appendDateTime(StringBuilder b, int year, int month, int day, int hour, int minute, int second) {
        if (year < 0 || year > 9999) {
            return false;
        }
        pad(b, year, 4);
        pad(b.append('-'), month, 2);
        pad(b.append('-'), day, 2);
        pad(b.append('T'), hour, 2);
        pad(b.append(':'), minute, 2);
        pad(b.append(':'), second, 2);
        return true;
    }

    private static void pad(StringBuilder b, int value, int digits) {
        int start = b.length();
        b.append(value);
        for (int missing = digits - (b.length() - start); missing > 0; missing--) {
            b.insert(start, '0');
        }
    }

    /**
     * What parseBest(OffsetDateTime, ZonedDateTime, LocalDateTime[, LocalDate]) would return, from one parse: parseBest
     * tries each type in turn and throws an exception for every miss, which costs on every event.
     */
    private static TemporalAccessor best(TemporalAccessor t, boolean dateOnly) {
        LocalDate date = t.query(java.time.temporal.TemporalQueries.localDate());
        java.time.LocalTime time = t.query(java.time.temporal.TemporalQueries.localTime());
        if (date != null && time != null) {
            ZoneOffset offset = t.query(java.time.temporal.TemporalQueries.offset());
            if (offset != null) {
                return OffsetDateTime.of(date, time, offset);
            }
            ZoneId id = t.query(java.time.temporal.TemporalQueries.zoneId());
            return id != null ? ZonedDateTime.of(date, time, id) : LocalDateTime.of(date, time);
        }
        if (date != null && dateOnly) {
            return date;
        }
        throw new DateTimeException("not a complete date and time");
    }

    private OffsetDateTime resolve(TemporalAccessor ta) {
        if (ta instanceof OffsetDateTime) {
            return (OffsetDateTime) ta;
        }
        if (ta instanceof ZonedDateTime) {
            return ((ZonedDateTime) ta).toOffsetDateTime();
        }
        if (ta instanceof LocalDateTime) {
            return ((LocalDateTime) ta).atZone(zone).toOffsetDateTime();
        }
        return ((LocalDate) ta).atStartOfDay(zone).toOffsetDateTime();
    }

    private OffsetDateTime epochSeconds(String s) {
        if (s.length() > MAX_EPOCH_TEXT) {
            return null;
        }
        int dot = s.indexOf('.');
        if (dot < 0) {
            return isInteger(s) ? OffsetDateTime.ofInstant(Instant.ofEpochSecond(Long.parseLong(s)), zone) : null;
        }
        if (!isInteger(s.substring(0, dot)) || !isDigits(s, dot + 1)) {
            return null;
        }
        BigDecimal secs = new BigDecimal(s);
        BigDecimal whole = new BigDecimal(secs.toBigInteger());
        long nanos = secs.subtract(whole).movePointRight(9).longValue();
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(whole.longValueExact(), nanos), zone);
    }

    private static boolean isInteger(String s) {
        return isDigits(s, s.startsWith("-") ? 1 : 0);
    }

    private static boolean isDigits(String s, int from) {
        if (from >= s.length()) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Rewrites unquoted 'y' to 'u' (see of()); text inside '...' is literal and left alone. */
    private static String yearOfEraToYear(String pattern) {
        StringBuilder b = new StringBuilder(pattern.length());
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            }
            b.append(!quoted && c == 'y' ? 'u' : c);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "TimestampFormat[" + (kind == Kind.PATTERN ? formatter.toString() : kind.name()) + ", " + zone + "]";
    }
}
