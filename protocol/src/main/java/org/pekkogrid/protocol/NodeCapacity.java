package org.pekkogrid.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a worker node offers. It travels as cluster roles ({@code grid-cores-4},
 * {@code grid-heap-8589934592}, {@code grid-tag-opencv}) so that every node, the shard
 * allocation strategy included, reads it from membership gossip with no extra protocol.
 *
 * @param cores     slots this node runs at once (its compute dispatcher's threads)
 * @param heapBytes the node's maximum heap
 * @param tags      labels jobs can require, such as {@code opencv}
 */
public record NodeCapacity(int cores, long heapBytes, Set<String> tags) {

    private static final String CORES = "grid-cores-";
    private static final String HEAP = "grid-heap-";
    private static final String TAG = "grid-tag-";

    public NodeCapacity {
        if (cores < 1) throw new IllegalArgumentException("cores must be at least 1, got " + cores);
        tags = Set.copyOf(tags);
    }

    public List<String> toRoles() {
        List<String> roles = new ArrayList<>();
        roles.add(CORES + cores);
        roles.add(HEAP + heapBytes);
        new TreeSet<>(tags).forEach(t -> roles.add(TAG + t));
        return roles;
    }

    /** The capacity a worker member advertises, or empty for members that are not workers. */
    public static Optional<NodeCapacity> fromRoles(Set<String> roles) {
        if (!roles.contains(Roles.WORKER)) return Optional.empty();
        int cores = 0;
        long heap = 0;
        Set<String> tags = new TreeSet<>();
        for (String role : roles) {
            try {
                if (role.startsWith(CORES)) cores = Integer.parseInt(role.substring(CORES.length()));
                else if (role.startsWith(HEAP)) heap = Long.parseLong(role.substring(HEAP.length()));
                else if (role.startsWith(TAG)) tags.add(role.substring(TAG.length()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return cores < 1 ? Optional.empty() : Optional.of(new NodeCapacity(cores, heap, tags));
    }

    /** Roles a human reads: without the capacity encoding. */
    public static Set<String> plainRoles(Set<String> roles) {
        Set<String> plain = new TreeSet<>();
        for (String r : roles) {
            if (!r.startsWith("grid-") && !r.startsWith("dc-")) plain.add(r);
        }
        return plain;
    }

    /** How many chunks of a job with these requirements this node may run at once (0 if none). */
    public int concurrencyFor(Requirements req) {
        if (!tags.containsAll(req.tags())) return 0;
        int byCpu = (int) Math.floor(cores / req.cpus() + 1e-9);
        int byMemory = req.memoryBytes() == 0 ? Integer.MAX_VALUE
            : (int) Math.min(Integer.MAX_VALUE, heapBytes / req.memoryBytes());
        return Math.min(byCpu, byMemory);
    }

    /** Why this node can never run a chunk with these requirements, or empty if it can. */
    public Optional<String> unmet(Requirements req) {
        Set<String> missing = new TreeSet<>(req.tags());
        missing.removeAll(tags);
        if (!missing.isEmpty()) return Optional.of("tags=" + String.join("+", missing));
        if (req.cpus() > cores + 1e-9) return Optional.of("cpus=" + req.cpus() + " (it has " + cores + ")");
        if (req.memoryBytes() > heapBytes) {
            return Optional.of("memory=" + ByteSize.format(req.memoryBytes())
                + " (its heap is " + ByteSize.format(heapBytes) + ")");
        }
        return Optional.empty();
    }
}
