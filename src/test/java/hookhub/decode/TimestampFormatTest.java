package hookhub.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimestampFormatTest {

    private static String iso(TimestampFormat f, String text) {
        OffsetDateTime t = f.parse(text);
        return t == null ? null : TimestampFormat.format(t);
    }

    @Test
    void compactKstPattern() {
        TimestampFormat f = TimestampFormat.of("yyyyMMddHHmmss", "Asia/Seoul");
        OffsetDateTime t = f.parse("20240514153012");
        assertEquals(OffsetDateTime.of(2024, 5, 14, 15, 30, 12, 0, ZoneOffset.ofHours(9)), t);
        assertEquals("2024-05-14T15:30:12+09:00", TimestampFormat.format(t));
    }

    @Test
    void appsflyerEventTimeInUtc() {
        TimestampFormat f = TimestampFormat.of("yyyy-MM-dd HH:mm:ss.SSS", "UTC");
        assertEquals("2024-05-14T03:21:09.512Z", iso(f, "2024-05-14 03:21:09.512"));
        assertEquals("2024-05-01T09:10:11Z", iso(f, "2024-05-01 09:10:11.000"));
    }

    @Test
    void optionalFractionPattern() {
        TimestampFormat f = TimestampFormat.of("yyyy-MM-dd HH:mm:ss[.SSS]", "Asia/Seoul");
        assertEquals("2024-05-14T12:21:09+09:00", iso(f, "2024-05-14 12:21:09"));
        assertEquals("2024-05-14T12:21:09.512+09:00", iso(f, "2024-05-14 12:21:09.512"));
    }

    @Test
    void patternWithOffsetUsesTheParsedOffset() {
        TimestampFormat f = TimestampFormat.of("yyyy-MM-dd HH:mm:ss.SSSxx", "UTC");
        assertEquals("2024-05-14T12:21:09.512+09:00", iso(f, "2024-05-14 12:21:09.512+0900"));
        TimestampFormat x = TimestampFormat.of("yyyy-MM-dd'T'HH:mm:ssXXX", "Asia/Seoul");
        assertEquals("2024-05-14T03:21:09Z", iso(x, "2024-05-14T03:21:09Z"));
    }

    @Test
    void epochMillisAndSeconds() {
        assertEquals("2024-05-14T03:21:09.512Z", iso(TimestampFormat.of("epoch-millis", "UTC"), "1715656869512"));
        assertEquals("2024-05-14T12:21:09.512+09:00", iso(TimestampFormat.of("epoch-millis", "Asia/Seoul"), "1715656869512"));
        assertEquals("2024-05-14T03:21:09Z", iso(TimestampFormat.of("epoch-seconds", null), "1715656869"));
        assertEquals("2024-05-14T03:21:09.512Z", iso(TimestampFormat.of("epoch-seconds", "UTC"), "1715656869.512"));
        assertNull(TimestampFormat.of("epoch-millis", "UTC").parse("17156x"));
        assertNull(TimestampFormat.of("epoch-seconds", "UTC").parse("1e9"));
        assertNull(TimestampFormat.of("epoch-seconds", "UTC").parse("99999999999999999999999"));
    }

    @Test
    void isoWithAndWithoutOffset() {
        TimestampFormat f = TimestampFormat.of("iso", "Asia/Seoul");
        assertEquals("2024-05-14T12:21:09.512+09:00", iso(f, "2024-05-14T12:21:09.512+09:00"));
        assertEquals("2024-05-14T12:21:09.512+09:00", iso(f, "2024-05-14T12:21:09.512+0900"));
        assertEquals("2024-05-14T03:21:09Z", iso(f, "2024-05-14T03:21:09Z"));
        assertEquals("2024-05-14T03:21:09Z", iso(f, "2024-05-14t03:21:09z"));
        assertEquals("2024-05-14T12:21:09+09:00", iso(f, "2024-05-14T12:21:09"), "no offset: route zone");
        assertEquals("2024-05-14T12:21:09+09:00", iso(f, "2024-05-14 12:21:09"), "space separator");
        assertEquals(iso(f, "2024-05-14T03:21:09Z"), iso(TimestampFormat.of(null, null), "2024-05-14T03:21:09"));
        assertEquals(iso(f, "2024-05-14T03:21:09Z"), iso(TimestampFormat.of(" ", ""), "2024-05-14T03:21:09"));
    }

    @Test
    void unparseableTextIsNull() {
        TimestampFormat f = TimestampFormat.of("yyyyMMddHHmmss", "Asia/Seoul");
        assertNull(f.parse("garbage"));
        assertNull(f.parse(""));
        assertNull(f.parse(null));
        assertNull(f.parse("20240230120000"), "Feb 30 must not be clamped");
        assertNull(f.parse("2024051415301"));
        assertNull(TimestampFormat.of("iso", "UTC").parse("2024-05-14T25:00:00"));
        assertNull(TimestampFormat.of("iso", "UTC").parse("2024-05-14"));
    }

    @Test
    void invalidPatternOrZoneIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> TimestampFormat.of("yyyy-MM-dd {", "UTC"));
        assertThrows(IllegalArgumentException.class, () -> TimestampFormat.of("ppppp", "UTC"));
        assertThrows(IllegalArgumentException.class, () -> TimestampFormat.of("iso", "Mars/Olympus"));
        assertThrows(IllegalArgumentException.class, () -> TimestampFormat.of("iso", "+99:00"));
    }

    @Test
    void formatKeepsOffsetAndOnlyNeededFraction() {
        ZoneOffset kst = ZoneOffset.ofHours(9);
        assertEquals("2024-05-14T15:30:12+09:00", TimestampFormat.format(OffsetDateTime.of(2024, 5, 14, 15, 30, 12, 0, kst)));
        assertEquals("2024-05-14T15:30:12.500+09:00",
                TimestampFormat.format(OffsetDateTime.of(2024, 5, 14, 15, 30, 12, 500_000_000, kst)));
        assertEquals("2024-05-14T03:21:09.512Z",
                TimestampFormat.format(OffsetDateTime.of(2024, 5, 14, 3, 21, 9, 512_000_000, ZoneOffset.UTC)));
        assertEquals("2024-05-14T03:21:09.512300Z",
                TimestampFormat.format(OffsetDateTime.of(2024, 5, 14, 3, 21, 9, 512_300_000, ZoneOffset.UTC)));
        assertEquals("2024-05-14T03:21:00Z",
                TimestampFormat.format(OffsetDateTime.of(2024, 5, 14, 3, 21, 0, 0, ZoneOffset.UTC)));
    }

    /** The hand-written formatting agrees with java.time's formatters, also at the edges of the year range. */
    @Test
    void formattingByHandAgreesWithJavaTime() {
        java.time.format.DateTimeFormatter iso = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 20_000; i++) {
            long millis = random.nextLong(-62_167_219_200_000L, 253_402_300_799_999L); // years 0000..9999
            String expected = iso.format(java.time.Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC)).replace("+00:00", "Z");
            assertEquals(expected, TimestampFormat.formatUtcMillis(millis));
            int nano = random.nextInt(1_000_000_000);
            OffsetDateTime t = java.time.Instant.ofEpochMilli(millis).atOffset(ZoneOffset.ofHours(9)).withNano(nano);
            String fraction = String.format("%09d", nano).replaceAll("(\\d{3}?)0{6}$|(\\d{6}?)0{3}$", "$1$2");
            assertEquals(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").format(t) + "." + fraction + "+09:00",
                    TimestampFormat.format(t));
        }
        assertEquals("+10000-01-01T00:00:00Z", TimestampFormat.format(OffsetDateTime.of(10_000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)));
        assertEquals("0001-02-03T04:05:06.007Z", TimestampFormat.formatUtcMillis(
                OffsetDateTime.of(1, 2, 3, 4, 5, 6, 7_000_000, ZoneOffset.UTC).toInstant().toEpochMilli()));
    }
}
