package org.pekkogrid.deploy;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The certificate each peer this node dialled presented, by the address dialled. An outbound
 * Artery connection goes to a member's canonical host:port, so this ties a member's cluster
 * address to the roles its certificate grants (an inbound connection comes from a port of no
 * meaning). Per JVM: addresses are unique on one.
 */
final class PeerCertificates {

    /** What a peer's certificate said. */
    record Seen(Set<TlsRole> roles, String subject) {}

    private static final Map<String, Seen> BY_ADDRESS = new ConcurrentHashMap<>();

    private PeerCertificates() {}

    static void record(String host, int port, Set<TlsRole> roles, String subject) {
        BY_ADDRESS.put(host + ":" + port, new Seen(Set.copyOf(roles), subject));
    }

    /** What the peer at host:port presented when this node last dialled it, or null. */
    static Seen at(String host, int port) {
        return BY_ADDRESS.get(host + ":" + port);
    }
}
