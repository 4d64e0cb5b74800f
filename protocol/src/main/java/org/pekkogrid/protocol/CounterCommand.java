package org.pekkogrid.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * Messages a counter receives. A counter is a persistent entity sharded over the worker nodes;
 * its entity id is its name (see {@link Counters}).
 */
public interface CounterCommand extends GridMessage {

    /**
     * Adds {@code by} (a negative one subtracts) once per request id: a retry that carries the
     * same id is answered with the current value and {@code applied = false}, not counted again.
     *
     * @param requestId chosen by the client, unique per increment ({@link Counters#checkRequestId})
     */
    record Increment(String requestId, long by, ActorRef<CounterReply> replyTo) implements CounterCommand {}

    /** Asks for the current value. */
    record Get(ActorRef<CounterReply> replyTo) implements CounterCommand {}
}
