package hookhub.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CharsetLabelsTest {

    private static final Charset MS949 = Charset.forName("x-windows-949");

    @Test
    void everyEucKrFamilyLabelMapsToMs949() {
        String[] labels = {"euc-kr", "EUC-KR", "ks_c_5601-1987", "KS_C_5601-1987", "ks_c_5601", "cp949", "CP949",
            "windows-949", "x-windows-949", "ms949", "MS949", "ksc5601", "korean", "csKSC56011987", "euckr",
            " \"euc-kr\" ", "'ks_c_5601-1987'", "iso-ir-149", "csEUCKR", "5601"};
        for (String l : labels) {
            assertEquals(MS949, CharsetLabels.forLabel(l), l);
        }
    }

    @Test
    void cp949OnlySyllablesDecodeThroughTheMappedCharset() {
        Charset cs = CharsetLabels.forLabel("ks_c_5601-1987");
        assertEquals("똠", new String(new byte[] {(byte) 0x8C, 0x63}, cs));
        for (String s : new String[] {"샾", "뷁", "똠"}) {
            assertEquals(s, new String(s.getBytes(MS949), cs));
        }
    }

    @Test
    void otherLabels() {
        assertEquals(StandardCharsets.UTF_8, CharsetLabels.forLabel("utf-8"));
        assertEquals(StandardCharsets.UTF_8, CharsetLabels.forLabel(" \"UTF-8\""));
        assertEquals(StandardCharsets.UTF_8, CharsetLabels.forLabel("utf8"));
        assertEquals(StandardCharsets.ISO_8859_1, CharsetLabels.forLabel("iso-8859-1"));
        assertEquals(Charset.forName("Shift_JIS"), CharsetLabels.forLabel("shift_jis"));
    }

    @Test
    void unknownOrBlankIsNull() {
        assertNull(CharsetLabels.forLabel(null));
        assertNull(CharsetLabels.forLabel(""));
        assertNull(CharsetLabels.forLabel("  \"\" "));
        assertNull(CharsetLabels.forLabel("xyz"));
        assertNull(CharsetLabels.forLabel("bad label!"));
    }

    @Test
    void displayNames() {
        assertEquals("UTF-8", CharsetLabels.displayName(StandardCharsets.UTF_8));
        assertEquals("MS949", CharsetLabels.displayName(MS949));
        assertEquals("MS949", CharsetLabels.displayName(CharsetLabels.forLabel("euc-kr")));
        assertEquals("ISO-8859-1", CharsetLabels.displayName(StandardCharsets.ISO_8859_1));
    }
}
