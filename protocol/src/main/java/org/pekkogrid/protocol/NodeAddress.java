package org.pekkogrid.protocol;

import org.apache.pekko.actor.Address;

/** How pekko-grid shows a node to people: {@code host:port}. */
public final class NodeAddress {

    private NodeAddress() {}

    public static String of(Address address) {
        return address.getHost().isPresent() && address.getPort().isPresent()
            ? address.getHost().get() + ":" + address.getPort().get()
            : address.toString();
    }
}
