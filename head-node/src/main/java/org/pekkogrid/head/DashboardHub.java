package org.pekkogrid.head;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobLookup;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.protocol.ProcessResources;
import org.pekkogrid.protocol.RunnerCommand;
import org.pekkogrid.protocol.SamplerCommand;

/**
 * Gathers the dashboard's tick while a page watches: once a tick it asks the coordinator for its
 * status, follows the running jobs' progress events (about four a second per job, never one per
 * chunk), asks once for the report of a finished job it did not see end (its retries and
 * failures), and takes the worker nodes' CPU and memory from their samplers, to which it
 * subscribes only while someone watches. Publishes each tick to the {@link DashboardFeed}.
 */
final class DashboardHub extends AbstractBehavior<DashboardHub.Command> {

    sealed interface Command permits Tick, StatusAnswered, Heard, Looked, Sampled, SamplersListed {}

    private enum Tick implements Command { INSTANCE }

    /** The coordinator's status, or null when it did not answer in time. */
    private record StatusAnswered(ClusterStatus status) implements Command {}

    private record Heard(JobEvent event) implements Command {}

    /** A finished job as the coordinator knows it; null when it did not answer. */
    private record Looked(JobLookup lookup) implements Command {}

    private record Sampled(RunnerCommand sample) implements Command {}

    private record SamplersListed(Receptionist.Listing listing) implements Command {}

    static Behavior<Command> create(ActorRef<CoordinatorCommand> coordinator, DashboardFeed feed, Duration askTimeout) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Tick.INSTANCE, feed.interval());
            return new DashboardHub(ctx, coordinator, feed, askTimeout);
        }));
    }

    private final ActorRef<CoordinatorCommand> coordinator;
    private final DashboardFeed feed;
    private final Duration askTimeout;
    private final DashboardState state = new DashboardState();
    private final ActorRef<JobEvent> jobListener;
    private final ActorRef<RunnerCommand> sampleListener;
    private final Set<ActorRef<SamplerCommand>> samplers = new HashSet<>();
    private final Set<ActorRef<SamplerCommand>> subscribed = new HashSet<>();
    private final Set<String> followed = new HashSet<>();
    /** Finished jobs whose report was asked for once, for their retries and failures. */
    private final Set<String> looked = new HashSet<>();
    private final String self;
    private final String selfNode;
    /** Samplers know subscriptions by a job id: this head's dashboard has one of its own. */
    private final String subscriptionId;
    private boolean asking;

    private DashboardHub(ActorContext<Command> ctx, ActorRef<CoordinatorCommand> coordinator, DashboardFeed feed,
                         Duration askTimeout) {
        super(ctx);
        this.coordinator = coordinator;
        this.feed = feed;
        this.askTimeout = askTimeout;
        this.jobListener = ctx.messageAdapter(JobEvent.class, Heard::new);
        this.sampleListener = ctx.messageAdapter(RunnerCommand.class, Sampled::new);
        Cluster cluster = Cluster.get(ctx.getSystem());
        this.self = cluster.selfMember().address().toString();
        this.selfNode = NodeAddress.of(cluster.selfMember().address());
        this.subscriptionId = "dashboard@" + selfNode;
        ctx.getSystem().receptionist().tell(Receptionist.subscribe(SamplerCommand.KEY,
            ctx.messageAdapter(Receptionist.Listing.class, SamplersListed::new)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Tick.class, m -> onTick())
            .onMessage(StatusAnswered.class, this::onStatus)
            .onMessage(Heard.class, this::onHeard)
            .onMessage(Looked.class, this::onLooked)
            .onMessage(Sampled.class, this::onSampled)
            .onMessage(SamplersListed.class, this::onSamplersListed)
            .build();
    }

    private Behavior<Command> onTick() {
        if (feed.watchers() == 0) {
            for (ActorRef<SamplerCommand> sampler : subscribed) sampler.tell(new SamplerCommand.Unsubscribe(subscriptionId));
            subscribed.clear();
            feed.clear();
            return this;
        }
        subscribeSamplers();
        // A coordinator slower than a tick gets one question at a time, not a pile of them.
        if (!asking) {
            asking = true;
            getContext().ask(ClusterStatus.class, coordinator, askTimeout, CoordinatorCommand.GetStatus::new,
                (status, failure) -> new StatusAnswered(status));
        }
        return this;
    }

    private Behavior<Command> onStatus(StatusAnswered answered) {
        asking = false;
        if (answered.status() == null) {
            feed.publish(tick().put("error", "the job coordinator did not answer within " + askTimeout.toMillis()
                + " ms (is a head up?)").toString());
            return this;
        }
        state.status(answered.status());
        // A job that ended without its end reaching here (its coordinator moved) is not followed forever.
        followed.retainAll(state.runningJobs());
        for (String job : state.runningJobs()) {
            if (followed.add(job)) coordinator.tell(new CoordinatorCommand.FollowJob(job, jobListener));
        }
        looked.retainAll(state.listedJobs());
        for (String job : state.finishedWithoutFigures()) {
            if (looked.add(job)) {
                getContext().ask(JobLookup.class, coordinator, askTimeout,
                    replyTo -> new CoordinatorCommand.GetJob(job, replyTo), (lookup, failure) -> new Looked(lookup));
            }
        }
        feed.publish(tick().toString());
        return this;
    }

    private ObjectNode tick() {
        ProcessResources.Reading own = ProcessResources.read();
        RunnerCommand.NodeSample selfSample = new RunnerCommand.NodeSample(selfNode, own.processCpu(), own.systemCpu(),
            own.heapUsedBytes(), own.heapMaxBytes(), own.rssBytes(), ProcessResources.process());
        return state.toJson(System.currentTimeMillis(), coordinatorHead(), self, selfSample);
    }

    /** The coordinator singleton lives on the oldest head that is up. */
    private String coordinatorHead() {
        Member oldest = null;
        for (Member m : Cluster.get(getContext().getSystem()).state().getMembers()) {
            if (!m.hasRole("head") || m.status() != MemberStatus.up()) continue;
            if (oldest == null || m.isOlderThan(oldest)) oldest = m;
        }
        return oldest == null ? null : oldest.address().toString();
    }

    private Behavior<Command> onHeard(Heard heard) {
        JobEvent event = heard.event();
        if (event instanceof JobEvent.Progress p) {
            state.progress(p);
        } else if (event instanceof JobEvent.Completed c) {
            state.ended(c.jobId(), c.report());
            followed.remove(c.jobId());
        } else if (event instanceof JobEvent.Failed f) {
            state.ended(f.jobId(), f.report());
            followed.remove(f.jobId());
        } else if (event instanceof JobEvent.Cancelled c) {
            state.ended(c.jobId(), c.report());
            followed.remove(c.jobId());
        } else if (event instanceof JobEvent.NotFound n) {
            followed.remove(n.jobId());
        }
        return this;
    }

    private Behavior<Command> onLooked(Looked looked) {
        if (looked.lookup() != null && looked.lookup().job().isPresent()) {
            state.ended(looked.lookup().jobId(), looked.lookup().job().get().report());
        }
        return this;
    }

    private Behavior<Command> onSampled(Sampled sampled) {
        if (sampled.sample() instanceof RunnerCommand.NodeSample s) state.sample(s, System.currentTimeMillis());
        return this;
    }

    private Behavior<Command> onSamplersListed(SamplersListed listed) {
        Set<ActorRef<SamplerCommand>> now = listed.listing().getServiceInstances(SamplerCommand.KEY);
        samplers.clear();
        samplers.addAll(now);
        subscribed.retainAll(now);
        if (feed.watchers() > 0) subscribeSamplers();
        return this;
    }

    private void subscribeSamplers() {
        for (ActorRef<SamplerCommand> sampler : samplers) {
            if (subscribed.add(sampler)) {
                sampler.tell(new SamplerCommand.Subscribe(subscriptionId, sampleListener, feed.interval()));
            }
        }
    }
}
