package org.pekkogrid.protocol;

/**
 * Marker for every message that crosses the network. It is the only type bound to
 * {@code jackson-cbor} in {@code reference.conf}; nothing else is deserialised, and Java
 * serialization stays off.
 */
public interface GridMessage {}
