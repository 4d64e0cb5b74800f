package org.pekkogrid.journal;

/**
 * Another grid holds the journal ({@link OwnerLease}): this node must not use it. Retrying does
 * not help until that grid stops; the message names the journal and what to do.
 */
public final class JournalInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    JournalInUseException(String message) {
        super(message);
    }
}
