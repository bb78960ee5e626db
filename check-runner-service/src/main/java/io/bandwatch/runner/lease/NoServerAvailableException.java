package io.bandwatch.runner.lease;

/** Every server of the pool stayed leased past the wait limit, or the pool is empty. */
public class NoServerAvailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public NoServerAvailableException(String message) {
        super(message);
    }
}
