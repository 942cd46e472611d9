package hookhub.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventTest {

    /** The size the store records (backlog bytes, batch limits) is the line's UTF-8 size, also for Korean and emoji. */
    @Test
    void bytesIsTheUtf8SizeOfTheLine() {
        for (String line : new String[] {"", "{\"a\":1}", "{\"caller_name\":\"홍길동\"}", "{\"e\":\"😀 ü ß €\"}", "é".repeat(1000)}) {
            Event e = new Event("s", "id", 0, 0, line);
            assertEquals(line.getBytes(StandardCharsets.UTF_8).length, e.bytes(), line);
        }
    }
}
