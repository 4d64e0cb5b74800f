package org.pekkogrid.worker;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.pekkogrid.protocol.NodeCapacity;

/**
 * A worker node's settings, from {@code grid.worker} in the config.
 *
 * @param cores           slots and compute threads on this node
 * @param tags            labels jobs can require
 * @param prefetchBatches batches a slot holds or has asked for at once, so it never idles on a round trip
 * @param warmUp          time per workload spent running its kernel before the node takes work
 * @param jobCacheSize    bound jobs kept per node
 * @param stuckGrace      how long a chunk interrupted past its timeout has to return before its
 *                        thread is declared stuck and its slot goes on with a fresh thread
 */
public record WorkerSettings(int cores, Set<String> tags, int prefetchBatches, Duration warmUp, int jobCacheSize,
                             Duration stuckGrace) {

    public WorkerSettings {
        int available = Runtime.getRuntime().availableProcessors();
        if (cores < 1) throw new IllegalArgumentException("cores must be at least 1, got " + cores);
        if (cores > available) {
            throw new IllegalArgumentException(
                "cores (" + cores + ") exceeds this machine's " + available + " processors");
        }
        if (prefetchBatches < 1) throw new IllegalArgumentException("prefetch-batches must be at least 1");
        if (stuckGrace.isNegative()) throw new IllegalArgumentException("stuck-grace cannot be negative, got " + stuckGrace);
        for (String tag : tags) {
            if (!tag.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("tag \"" + tag + "\" may hold only letters, digits, '.', '_' and '-'");
            }
        }
        tags = Set.copyOf(new TreeSet<>(tags));
    }

    public static WorkerSettings from(Config config) {
        Config c = config.getConfig("grid.worker");
        int cores = c.getInt("cores");
        Set<String> tags = new TreeSet<>(c.getStringList("tags"));
        if (c.getBoolean("probe-tags")) {
            for (org.pekkogrid.workloads.Workload<?, ?, ?, ?> w : org.pekkogrid.workloads.Workloads.all()) {
                tags.addAll(w.tagsOffered());
            }
        }
        return new WorkerSettings(cores == 0 ? Runtime.getRuntime().availableProcessors() : cores,
            tags, c.getInt("prefetch-batches"), c.getDuration("warm-up"), c.getInt("job-cache-size"),
            c.getDuration("stuck-grace"));
    }

    /** These settings with another warm-up time (zero for none). */
    public WorkerSettings withWarmUp(Duration time) {
        return new WorkerSettings(cores, tags, prefetchBatches, time, jobCacheSize, stuckGrace);
    }

    public NodeCapacity capacity() {
        return new NodeCapacity(cores, Runtime.getRuntime().maxMemory(), tags);
    }
}
