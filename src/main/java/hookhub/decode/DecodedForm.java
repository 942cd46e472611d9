package hookhub.decode;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Result of decoding a form body or query string.
 *
 * @param fields   insertion-ordered fields: key -> TextNode, or ArrayNode of TextNodes when the key repeats
 * @param charset  {@link CharsetLabels#displayName} of the charset used for the whole body
 * @param warnings non-fatal problems found while decoding (malformed escapes, invalid byte sequences, unknown labels)
 */
public record DecodedForm(ObjectNode fields, String charset, List<String> warnings) {
}
