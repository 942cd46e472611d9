package hookhub.store;

/** An event could not be committed (database error or commit timeout): it was not accepted and must be resent. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
