package org.pekkogrid.client;

/**
 * A counter gave no answer before the deadline (its node died and it has not recovered yet, or
 * its journal is down). For an increment the outcome is unknown: send it again with the same
 * request id, and it will count at most once.
 */
public final class CounterUnavailableException extends RuntimeException {

    private final String requestId;

    public CounterUnavailableException(String message, String requestId) {
        super(message);
        this.requestId = requestId;
    }

    /** The increment's request id, or null for a get. */
    public String requestId() {
        return requestId;
    }
}
