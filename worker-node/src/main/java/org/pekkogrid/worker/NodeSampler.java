package org.pekkogrid.worker;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;
import org.pekkogrid.protocol.LocalOnly;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.protocol.ProcessResources;
import org.pekkogrid.protocol.RunnerCommand;
import org.pekkogrid.protocol.SamplerCommand;
import org.pekkogrid.protocol.SamplerCommand.Subscribe;
import org.pekkogrid.protocol.SamplerCommand.Unsubscribe;

/**
 * Samples this node's CPU and memory (and how many of its slots are busy) for the jobs that ask,
 * so that a job's report shows what each node did over time, and for the heads' dashboards. Each running job subscribes; its runner stopping ends the subscription.
 */
public final class NodeSampler extends AbstractBehavior<SamplerCommand> {

    private record Sample(String jobId) implements SamplerCommand, LocalOnly {}

    private record RunnerGone(String jobId) implements SamplerCommand, LocalOnly {}

    /** @param slotsBusy the node's slots running a batch now */
    public static Behavior<SamplerCommand> create(IntSupplier slotsBusy) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new NodeSampler(ctx, timers, slotsBusy)));
    }

    private final TimerScheduler<SamplerCommand> timers;
    private final Map<String, ActorRef<RunnerCommand>> runners = new HashMap<>();
    private final String node;
    private final IntSupplier slotsBusy;

    private NodeSampler(ActorContext<SamplerCommand> ctx, TimerScheduler<SamplerCommand> timers, IntSupplier slotsBusy) {
        super(ctx);
        this.timers = timers;
        this.slotsBusy = slotsBusy;
        this.node = NodeAddress.of(Cluster.get(ctx.getSystem()).selfMember().address());
        ctx.getSystem().receptionist().tell(Receptionist.register(SamplerCommand.KEY, ctx.getSelf()));
    }

    @Override
    public Receive<SamplerCommand> createReceive() {
        return newReceiveBuilder()
            .onMessage(Subscribe.class, this::onSubscribe)
            .onMessage(Unsubscribe.class, m -> stop(m.jobId()))
            .onMessage(RunnerGone.class, m -> stop(m.jobId()))
            .onMessage(Sample.class, this::onSample)
            .build();
    }

    private Behavior<SamplerCommand> onSubscribe(Subscribe subscribe) {
        if (runners.put(subscribe.jobId(), subscribe.runner()) == null) {
            getContext().watchWith(subscribe.runner(), new RunnerGone(subscribe.jobId()));
            timers.startTimerWithFixedDelay(subscribe.jobId(), new Sample(subscribe.jobId()), subscribe.interval());
            onSample(new Sample(subscribe.jobId()));
        }
        return this;
    }

    private Behavior<SamplerCommand> onSample(Sample sample) {
        ActorRef<RunnerCommand> runner = runners.get(sample.jobId());
        if (runner == null) return this;
        ProcessResources.Reading r = ProcessResources.read();
        runner.tell(new RunnerCommand.NodeSample(node, r.processCpu(), r.systemCpu(), r.heapUsedBytes(),
            r.heapMaxBytes(), r.rssBytes(), ProcessResources.process(), slotsBusy.getAsInt()));
        return this;
    }

    private Behavior<SamplerCommand> stop(String jobId) {
        ActorRef<RunnerCommand> runner = runners.remove(jobId);
        if (runner != null) getContext().unwatch(runner);
        timers.cancel(jobId);
        return this;
    }
}
