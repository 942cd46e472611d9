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

    /** 413: the body is over hookhub.http.max-body-bytes (the edge's check, and the try command's). */
    public static RequestRejected bodyTooLarge(long maxBodyBytes) {
        return new RequestRejected(413, "body_too_large",
                "request body is larger than hookhub.http.max-body-bytes (" + maxBodyBytes + " bytes)");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
