package org.pekkogrid.protocol;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/** Messages of a node's resource sampler, which reports CPU and memory to running jobs. */
public interface SamplerCommand extends GridMessage {

    /** Every worker node's sampler registers under this key with the receptionist. */
    ServiceKey<SamplerCommand> KEY = ServiceKey.create(SamplerCommand.class, "grid-node-sampler");

    /** Send {@link RunnerCommand.NodeSample}s to this runner every {@code interval} until it stops. */
    record Subscribe(String jobId, ActorRef<RunnerCommand> runner, Duration interval) implements SamplerCommand {}

    record Unsubscribe(String jobId) implements SamplerCommand {}
}
