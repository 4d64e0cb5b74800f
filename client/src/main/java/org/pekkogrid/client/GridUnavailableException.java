package org.pekkogrid.client;

/** No grid answered: the seed is down or wrong, or the cluster has no head node. */
public final class GridUnavailableException extends RuntimeException {
    public GridUnavailableException(String message) {
        super(message);
    }
}
