package hookhub.store;

/** The store will not take new events right now (backlog or disk limit); the vendor should retry later. */
public class StoreOverloadedException extends RuntimeException {

    private final int retryAfterSeconds;

    public StoreOverloadedException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
