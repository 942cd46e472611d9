package hookhub.decode;

/**
 * A body we refuse to turn into events. {@code code} is machine-readable (e.g. "invalid_json"),
 * the message is short and safe to return to the sender.
 */
public final class BodyRejected extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    public BodyRejected(String code, String message) {
        // No stack trace: this is an expected outcome for hostile or broken input, and filling
        // a stack trace per rejected request is pure cost.
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
