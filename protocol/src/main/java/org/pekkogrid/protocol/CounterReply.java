package org.pekkogrid.protocol;

/** What a counter answers: its value, or why it did not do what it was asked. */
public sealed interface CounterReply extends GridMessage
    permits CounterValue, CounterReply.Rejected, CounterReply.Unavailable {

    /** The request was wrong (a bad request id, an increment that would overflow); nothing changed. */
    record Rejected(String name, String reason) implements CounterReply {}

    /**
     * The counter could not reach its journal; nothing changed.
     *
     * @param retryable true when the same request may succeed later (a database restarting), false
     *                  when the grid is set up so that it cannot (then retrying only waits)
     */
    record Unavailable(String name, String reason, boolean retryable) implements CounterReply {}
}
