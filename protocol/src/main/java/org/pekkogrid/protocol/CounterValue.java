package org.pekkogrid.protocol;

/**
 * A counter's value.
 *
 * @param applied true when this reply's increment was applied just now; false for a retried
 *                increment the counter had already applied (it counts once), and for a get
 * @param node    {@code host:port} of the worker node holding the counter when it answered
 */
public record CounterValue(String name, long value, boolean applied, String node) implements CounterReply {}
