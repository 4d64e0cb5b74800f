package org.pekkogrid.worker;

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
import org.pekkogrid.protocol.Roles;

/**
 * The local journal is a file on one machine. Worker nodes on other machines would each keep a
 * journal of their own, and a counter that sharding moves between machines would come back with
 * another machine's value: with such workers in the cluster, counters refuse to start.
 */
final class LocalJournalGuard {

    private static volatile Set<String> ownAddresses;

    private LocalJournalGuard() {}

    /** Why counters cannot use {@code plugins} in this cluster, or null when they can. */
    static String refusal(ActorSystem<?> system, JournalPlugins plugins) {
        if (!plugins.onThisMachine() || !"cluster".equals(system.settings().config().getString("pekko.actor.provider"))) {
            return null;
        }
        Cluster cluster = Cluster.get(system);
        List<String> workers = new ArrayList<>();
        for (Member m : cluster.state().getMembers()) {
            if (m.hasRole(Roles.WORKER)) workers.add(m.address().getHost().orElse(""));
        }
        return refusal(cluster.selfMember().address().getHost().orElse(""), workers, plugins);
    }

    /** Why counters on {@code self} cannot use {@code plugins} with workers on {@code workerHosts}, or null. */
    static String refusal(String self, Collection<String> workerHosts, JournalPlugins plugins) {
        if (!plugins.onThisMachine()) return null;
        Set<String> elsewhere = new TreeSet<>();
        for (String host : workerHosts) {
            if (!host.equals(self) && !onThisMachine(host)) elsewhere.add(host);
        }
        if (elsewhere.isEmpty()) return null;
        return "counters keep their events in " + plugins.description() + ", which only this machine (" + self
            + ") reaches, but worker nodes run on " + String.join(", ", elsewhere) + " too: set grid.counter.journal-url "
            + "(GRID_JOURNAL_URL) on every worker to a database they all reach, such as jdbc:postgresql://db:5432/grid";
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
