package hookhub.edge;

/**
 * A request hookhub refuses (4xx). The code is a stable machine-readable word ("empty_body", "invalid_json", …),
 * the message says what is wrong for a human. The raw request is quarantined.
 */
public class RequestRejected extends RuntimeException {

    private final int status;
    private final String code;

    public RequestRejected(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
