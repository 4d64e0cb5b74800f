package org.pekkogrid.journal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The local journal is a file on one machine. Nodes of one role on other machines would each keep
 * a journal of their own, and an entity that moves between those nodes (a counter that sharding
 * moves, a singleton that fails over) would come back with another machine's state: with such
 * nodes in the cluster, that role's entities refuse to start.
 */
final class LocalJournalGuard {

    private static volatile Set<String> ownAddresses;

    private LocalJournalGuard() {}

    /** Why entities on nodes of {@code role} cannot use {@code plugins} in this cluster, or null when they can. */
    static String refusal(ActorSystem<?> system, String role, JournalPlugins plugins) {
        if (!plugins.onThisMachine() || !GridJournal.clustered(system)) return null;
        Cluster cluster = Cluster.get(system);
        List<String> hosts = new ArrayList<>();
        for (Member m : cluster.state().getMembers()) {
            if (m.hasRole(role)) hosts.add(m.address().getHost().orElse(""));
        }
        return refusal(cluster.selfMember().address().getHost().orElse(""), role, hosts, plugins);
    }

    /** Why entities on {@code self} cannot use {@code plugins} with nodes of {@code role} on {@code hosts}, or null. */
    static String refusal(String self, String role, Collection<String> hosts, JournalPlugins plugins) {
        if (!plugins.onThisMachine()) return null;
        Set<String> elsewhere = new TreeSet<>();
        for (String host : hosts) {
            if (!host.equals(self) && !onThisMachine(host)) elsewhere.add(host);
        }
        if (elsewhere.isEmpty()) return null;
        return "the " + role + " nodes keep their entities' events in " + plugins.description() + ", which only this "
            + "machine (" + self + ") reaches, but " + role + " nodes run on " + String.join(", ", elsewhere) + " too: set "
            + "grid.journal.url (GRID_JOURNAL_URL) on every node to a database they all reach, such as "
            + "jdbc:postgresql://db:5432/grid";
    }

    /** Whether {@code host} (an address as Artery advertises it) is one of this machine's. */
    private static boolean onThisMachine(String host) {
        Set<String> own = ownAddresses;
        if (own == null) {
            own = new HashSet<>();
            try {
                for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress a : Collections.list(nic.getInetAddresses())) own.add(a.getHostAddress());
                }
            } catch (SocketException e) {
                // then only loopback and the node's own address count as this machine
            }
            ownAddresses = own;
        }
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || own.contains(host);
    }
}
