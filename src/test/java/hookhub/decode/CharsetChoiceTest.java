package hookhub.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CharsetChoiceTest {

    private static final Charset MS949 = Charset.forName("x-windows-949");
    private static final byte[] UTF8_HANGUL = "홍길동".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MS949_HANGUL = "홍길동".getBytes(MS949);

    @Test
    void declaredWinsThenRouteDefaultThenDetection() {
        Warnings w = new Warnings();
        assertEquals(MS949, CharsetChoice.choose("euc-kr", "UTF-8", UTF8_HANGUL, w));
        assertEquals(StandardCharsets.UTF_8, CharsetChoice.choose("UTF-8", "EUC-KR", MS949_HANGUL, w));
        assertEquals(MS949, CharsetChoice.choose(null, "EUC-KR", UTF8_HANGUL, w));
        assertEquals(StandardCharsets.UTF_8, CharsetChoice.choose(null, null, UTF8_HANGUL, w));
        assertEquals(MS949, CharsetChoice.choose(null, null, MS949_HANGUL, w));
        assertEquals(StandardCharsets.UTF_8, CharsetChoice.choose("", " ", new byte[0], w));
        assertTrue(w.isEmpty(), w::toString);
    }

    @Test
    void unknownLabelsWarnAndContinueDownTheList() {
        Warnings w = new Warnings();
        assertEquals(MS949, CharsetChoice.choose("xyz", null, MS949_HANGUL, w));
        assertEquals(1, w.list().size());
        assertTrue(w.list().get(0).startsWith("unknown charset 'xyz'"), w::toString);

        Warnings w2 = new Warnings();
        assertEquals(MS949, CharsetChoice.choose("xyz", "euc-kr", UTF8_HANGUL, w2));
        assertEquals(1, w2.list().size());

        Warnings w3 = new Warnings();
        assertEquals(StandardCharsets.UTF_8, CharsetChoice.choose(null, "nope", UTF8_HANGUL, w3));
        assertTrue(w3.list().get(0).contains("'nope'"), w3::toString);
    }

    @Test
    void utf8Validation() {
        assertTrue(CharsetChoice.isValidUtf8(new byte[0]));
        assertTrue(CharsetChoice.isValidUtf8("plain ascii".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(CharsetChoice.isValidUtf8(UTF8_HANGUL));
        assertTrue(CharsetChoice.isValidUtf8("é€😀".getBytes(StandardCharsets.UTF_8)));
        assertFalse(CharsetChoice.isValidUtf8(MS949_HANGUL));
        assertFalse(CharsetChoice.isValidUtf8(bytes(0xEA, 0xB0)));             // truncated
        assertFalse(CharsetChoice.isValidUtf8(bytes(0xC0, 0xAF)));             // overlong '/'
        assertFalse(CharsetChoice.isValidUtf8(bytes(0xE0, 0x80, 0xAF)));       // overlong 3-byte
        assertFalse(CharsetChoice.isValidUtf8(bytes(0xF0, 0x80, 0x80, 0xAF))); // overlong 4-byte
        assertFalse(CharsetChoice.isValidUtf8(bytes(0xED, 0xA0, 0x80)));       // surrogate
        assertFalse(CharsetChoice.isValidUtf8(bytes(0xF4, 0x90, 0x80, 0x80))); // above U+10FFFF
        assertFalse(CharsetChoice.isValidUtf8(bytes(0x80)));                   // lone continuation
        assertFalse(CharsetChoice.isValidUtf8(bytes(0xFF)));
        assertFalse(CharsetChoice.isValidUtf8(bytes(0xE2, 0x82, 0x41)));       // bad continuation
        assertTrue(CharsetChoice.isValidUtf8(bytes(0xF4, 0x8F, 0xBF, 0xBF)));  // U+10FFFF
        assertTrue(CharsetChoice.isValidUtf8(bytes(0xED, 0x9F, 0xBF)));        // U+D7FF
    }

    @Test
    void validatorAgreesWithTheJdkDecoderOnAllTwoByteInputs() throws Exception {
        java.nio.charset.CharsetDecoder d = StandardCharsets.UTF_8.newDecoder();
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                byte[] in = bytes(a, b);
                boolean jdk;
                try {
                    d.reset().decode(java.nio.ByteBuffer.wrap(in));
                    jdk = true;
                } catch (java.nio.charset.CharacterCodingException e) {
                    jdk = false;
                }
                assertEquals(jdk, CharsetChoice.isValidUtf8(in), a + " " + b);
            }
        }
    }

    @Test
    void validatorAgreesWithTheJdkDecoderOnRandomLongerInputs() {
        java.util.Random r = new java.util.Random(949);
        java.nio.charset.CharsetDecoder d = StandardCharsets.UTF_8.newDecoder();
        int[] interesting = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
            0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
        for (int n = 0; n < 200_000; n++) {
            byte[] in = new byte[1 + r.nextInt(6)];
            for (int i = 0; i < in.length; i++) {
                in[i] = (byte) (r.nextBoolean() ? interesting[r.nextInt(interesting.length)] : r.nextInt(256));
            }
            boolean jdk;
            try {
                d.reset().decode(java.nio.ByteBuffer.wrap(in));
                jdk = true;
            } catch (java.nio.charset.CharacterCodingException e) {
                jdk = false;
            }
            assertEquals(jdk, CharsetChoice.isValidUtf8(in), () -> java.util.HexFormat.of().formatHex(in));
        }
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}
