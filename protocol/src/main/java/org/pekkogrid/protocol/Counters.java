package org.pekkogrid.protocol;

import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Addressing of counters, shared by the worker nodes that host them and the heads and clients
 * that send to them. Names map to shards with Pekko's default extractor, the same on every node.
 */
public final class Counters {

    public static final EntityTypeKey<CounterCommand> KEY = EntityTypeKey.create(CounterCommand.class, "Counter");

    /** A counter's name is part of its persistence id ({@code Counter|name}, at most 255 characters). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** Request ids are remembered by the thousand, so they stay short. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private Counters() {}

    /** The name, or an exception that says what a name may hold. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("counter name \"" + name + "\" is not valid: use 1 to 128 letters, digits, "
                + "'.', '_' or '-', starting with a letter or digit (such as page-views)");
        }
        return name;
    }

    /** The request id, or an exception that says what a request id may hold. */
    public static String checkRequestId(String requestId) {
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            throw new IllegalArgumentException("request id \"" + requestId + "\" is not valid: use 1 to 64 letters, "
                + "digits, '.', '_', ':' or '-'");
        }
        return requestId;
    }

    /**
     * The counters' shard region as seen from a node that hosts none (a head or a client): a proxy
     * to the worker nodes. On a worker node it returns the region the node started.
     */
    public static ActorRef<ShardingEnvelope<CounterCommand>> proxy(ActorSystem<?> system) {
        return ClusterSharding.get(system).init(
            Entity.of(KEY, entity -> {
                    throw new IllegalStateException("counters run only on worker nodes");
                })
                .withRole(Roles.WORKER));
    }
}
