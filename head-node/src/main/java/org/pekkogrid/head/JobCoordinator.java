package org.pekkogrid.head;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.CoordinatorCommand.CancelJob;
import org.pekkogrid.protocol.CoordinatorCommand.ClientAlive;
import org.pekkogrid.protocol.CoordinatorCommand.ClientClosed;
import org.pekkogrid.protocol.CoordinatorCommand.FollowJob;
import org.pekkogrid.protocol.CoordinatorCommand.GetJob;
import org.pekkogrid.protocol.CoordinatorCommand.GetStatus;
import org.pekkogrid.protocol.CoordinatorCommand.SlotDemand;
import org.pekkogrid.protocol.CoordinatorCommand.SlotReady;
import org.pekkogrid.protocol.CoordinatorCommand.SubmitJob;
import org.pekkogrid.protocol.JobDetail;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobLookup;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.protocol.JobTicket;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.protocol.NodeCapacity;
import org.pekkogrid.protocol.NodeEndpoints;
import org.pekkogrid.protocol.Requirements;
import org.pekkogrid.protocol.RunnerCommand;
import org.pekkogrid.protocol.SlotCommand;
import org.pekkogrid.protocol.WorkerSlots;
import org.pekkogrid.workloads.BoundJob;

/**
 * The head's job coordinator, a cluster singleton: it validates and accepts jobs, starts a
 * {@link JobRunner} per job, keeps the registry of worker slots, lends their credit to the
 * jobs in turn, wakes slots as worker nodes join and tells runners when a node is lost.
 */
public final class JobCoordinator extends AbstractBehavior<CoordinatorCommand> {

    /**
     * From a runner: {@code unused} batches of a slot's credit come back, with why it did not use them.
     *
     * @param fresh the credit came with the slot's results, not from a grant of the coordinator
     */
    record GrantDone(String jobId, ActorRef<SlotCommand> slot, int unused, JobRunner.Decline decline, boolean fresh)
        implements CoordinatorCommand {}

    /** From a runner that declined credit earlier: it has work again. */
    record WorkAvailable(String jobId) implements CoordinatorCommand {}

    record JobProgress(String jobId, long chunksDone, long chunksTotal) implements CoordinatorCommand {}

    /**
     * A runner's last message.
     *
     * @param report null only when the runner could not make one
     */
    record JobFinished(String jobId, String state, long chunksDone, long chunksTotal, String outcome,
                       JsonNode result, JobReport report) implements CoordinatorCommand {}

    private record SlotStopped(ActorRef<SlotCommand> slot) implements CoordinatorCommand {}

    private record RunnerStopped(String jobId) implements CoordinatorCommand {}

    private record MembershipChanged(ClusterEvent.MemberEvent event) implements CoordinatorCommand {}

    private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements CoordinatorCommand {}

    private record Tick() implements CoordinatorCommand {}

    public static Behavior<CoordinatorCommand> create(HeadSettings settings,
                                                      ActorRef<ShardingEnvelope<SlotCommand>> slots) {
        return create(settings, slots, HeadMetrics.OFF);
    }

    public static Behavior<CoordinatorCommand> create(HeadSettings settings,
                                                      ActorRef<ShardingEnvelope<SlotCommand>> slots,
                                                      HeadMetrics metrics) {
        return Behaviors.<CoordinatorCommand>supervise(
                Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
                    timers.startTimerWithFixedDelay(new Tick(), settings.wakeInterval());
                    return new JobCoordinator(ctx, settings, slots, metrics);
                })))
            // A message the coordinator fails on (a bug, or one forged on the wire: its internal
            // messages are GridMessages too) is logged and dropped. A restart would stop every
            // job's runner and forget the credit of every slot.
            .onFailure(SupervisorStrategy.resume());
    }

    private final HeadSettings settings;
    private final ActorRef<ShardingEnvelope<SlotCommand>> slotRegion;
    private final Cluster cluster;
    private final Scheduler scheduler = new Scheduler();
    private final HeadMetrics metrics;
    private final FinishedJobs finished;
    private final Set<String> retiring = new HashSet<>();
    private final long epoch = ThreadLocalRandom.current().nextLong();
    private final String idPrefix = "job-" + Long.toHexString(epoch & 0xffff) + "-";
    private long jobsStarted;
    /** Jobs by the submission id their client gave, so that a submit sent again gets its job, not a second one. */
    private final Map<String, String> submissions = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > SUBMISSIONS_KEPT;
        }
    };
    private final ClientSessions<ActorRef<Void>> sessions;

    /** A client sends its submit again within seconds; this many ids cover far more than that. */
    private static final int SUBMISSIONS_KEPT = 10_000;

    private JobCoordinator(ActorContext<CoordinatorCommand> ctx, HeadSettings settings,
                           ActorRef<ShardingEnvelope<SlotCommand>> slotRegion, HeadMetrics metrics) {
        super(ctx);
        this.settings = settings;
        this.slotRegion = slotRegion;
        this.metrics = metrics;
        this.finished = new FinishedJobs(settings.finishedJobsKept(), settings.reportsKept());
        this.sessions = new ClientSessions<>(settings.clientTimeout().toNanos());
        metrics.jobsRunning(0);
        this.cluster = Cluster.get(ctx.getSystem());
        cluster.subscriptions().tell(Subscribe.create(
            ctx.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new), ClusterEvent.MemberEvent.class));
        cluster.subscriptions().tell(Subscribe.create(
            ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new),
            ClusterEvent.ReachabilityEvent.class));
        ctx.getLog().info("job coordinator started on {}", cluster.selfMember().address());
        wakeSlots();
    }

    @Override
    public Receive<CoordinatorCommand> createReceive() {
        return newReceiveBuilder()
            .onMessage(SubmitJob.class, this::onSubmit)
            .onMessage(FollowJob.class, this::onFollow)
            .onMessage(ClientAlive.class, m -> {
                sessions.alive(m.session(), System.nanoTime());
                return this;
            })
            .onMessage(ClientClosed.class, m -> {
                cancelJobs(sessions.closed(m.session()), "its client (" + NodeAddress.of(m.session().path().address())
                    + ") closed");
                return this;
            })
            .onMessage(CancelJob.class, this::onCancel)
            .onMessage(GetStatus.class, this::onGetStatus)
            .onMessage(GetJob.class, this::onGetJob)
            .onMessage(SlotReady.class, this::onSlotReady)
            .onMessage(SlotDemand.class, this::onSlotDemand)
            .onMessage(GrantDone.class, this::onGrantDone)
            .onMessage(WorkAvailable.class, this::onWorkAvailable)
            .onMessage(JobProgress.class, this::onJobProgress)
            .onMessage(JobFinished.class, this::onJobFinished)
            .onMessage(RunnerStopped.class, this::onRunnerStopped)
            .onMessage(SlotStopped.class, this::onSlotStopped)
            .onMessage(MembershipChanged.class, this::onMembership)
            .onMessage(ReachabilityChanged.class, this::onReachability)
            .onMessage(Tick.class, m -> onTick())
            .onSignal(PostStop.class, s -> stopped())
            .onSignal(PreRestart.class, s -> stopped())
            .build();
    }

    // ---- jobs

    private Behavior<CoordinatorCommand> onSubmit(SubmitJob submit) {
        String earlier = submit.submissionId() == null ? null : submissions.get(submit.submissionId());
        if (earlier != null) return onFollow(new FollowJob(earlier, submit.replyTo()));
        String jobId = idPrefix + (++jobsStarted);
        JobSpec spec = submit.spec();
        if (scheduler.jobs().size() >= settings.maxJobs()) {
            return reject(submit, jobId, "the head is running " + settings.maxJobs()
                + " jobs, its limit (grid.head.max-jobs); try again when one ends");
        }
        BoundJob<?, ?, ?, ?> job;
        try {
            job = BoundJob.bind(spec.workload(), spec.params(), spec.chunks(), settings.maxChunks());
        } catch (IllegalArgumentException e) {
            return reject(submit, jobId, e.getMessage());
        } catch (RuntimeException e) {
            return reject(submit, jobId, spec.workload() + " cannot start: " + e);
        }
        Requirements requires = spec.requires().and(job.requirements());
        Optional<String> unsatisfiable = unsatisfiable(requires);
        if (unsatisfiable.isPresent()) return reject(submit, jobId, unsatisfiable.get());
        Duration chunkTimeout = spec.chunkTimeout() != null ? spec.chunkTimeout() : settings.chunkTimeout();
        int maxRetries = spec.maxRetries() != null ? spec.maxRetries() : settings.maxRetries();
        JobTicket ticket = new JobTicket(jobId, spec.workload(), spec.params(), job.chunks(), chunkTimeout);
        ActorRef<RunnerCommand> runner = getContext().spawn(
            JobRunner.create(jobId, ticket, job, requires, maxRetries, spec.timings(), settings, submit.replyTo(),
                getContext().getSelf(), metrics.job(spec.workload())),
            jobId);
        getContext().watchWith(runner, new RunnerStopped(jobId));
        scheduler.addJob(new Scheduler.JobState(jobId, spec.workload(), runner, requires, job.chunks(), submit.replyTo(),
            submit.session()));
        if (submit.submissionId() != null) submissions.put(submit.submissionId(), jobId);
        if (submit.session() != null) sessions.jobStarted(submit.session(), jobId, System.nanoTime());
        metrics.jobAccepted();
        metrics.jobsRunning(scheduler.jobs().size());
        announceContention();
        // Debug, not info: a grid running thousands of small jobs a second would spend its time logging.
        getContext().getLog().debug("job {} accepted: {} {} in {} chunks, requires {}", jobId, spec.workload(),
            spec.params(), job.chunks(), requires);
        pumpAll();
        return this;
    }

    private Behavior<CoordinatorCommand> reject(SubmitJob submit, String jobId, String reason) {
        getContext().getLog().info("job {} rejected: {}", jobId, reason);
        metrics.jobRejected();
        submit.replyTo().tell(new JobEvent.Rejected(jobId, reason));
        return this;
    }

    /** Why no worker member could ever run chunks with these requirements; empty if one can (or none has joined yet). */
    private Optional<String> unsatisfiable(Requirements requires) {
        List<String> reasons = new ArrayList<>();
        int workers = 0;
        for (Member m : cluster.state().getMembers()) {
            if (!isActive(m)) continue;
            Optional<NodeCapacity> capacity = NodeCapacity.fromRoles(m.getRoles());
            if (capacity.isEmpty()) continue;
            workers++;
            Optional<String> unmet = capacity.get().unmet(requires);
            if (unmet.isEmpty()) return Optional.empty();
            if (reasons.size() < 3) reasons.add(NodeAddress.of(m.address()) + " lacks " + unmet.get());
        }
        if (workers == 0) return Optional.empty();
        return Optional.of("no worker can run this job (requires " + requires + "): " + String.join("; ", reasons)
            + (workers > reasons.size() ? "; and " + (workers - reasons.size()) + " more" : ""));
    }

    /** A running job gains a listener; a finished one sends its end at once; an unknown one says so. */
    private Behavior<CoordinatorCommand> onFollow(FollowJob follow) {
        Scheduler.JobState running = scheduler.job(follow.jobId());
        if (running != null) {
            running.runner.tell(new JobRunner.Follow(follow.replyTo()));
            return this;
        }
        Optional<JobDetail> done = finished.find(follow.jobId());
        if (done.isEmpty()) {
            follow.replyTo().tell(new JobEvent.NotFound(follow.jobId(), "the head knows no job \"" + follow.jobId()
                + "\": it knows its running jobs and the last " + settings.finishedJobsKept() + " finished ones, and "
                + "forgets those of a coordinator that stopped (its head died or left)"));
            return this;
        }
        JobDetail job = follow.replyTo().path().address().hasGlobalScope() ? FrameBudget.fit(done.get()) : done.get();
        follow.replyTo().tell(job.state().equals("COMPLETED")
            ? new JobEvent.Completed(job.job(), job.result(), job.outcome(), job.report())
            : new JobEvent.Failed(job.job(), job.outcome(), job.report()));
        return this;
    }

    /** Nobody is left to take these jobs' results: they stop, freeing their slots. */
    private void cancelJobs(Set<String> jobIds, String why) {
        for (String jobId : jobIds) {
            Scheduler.JobState job = scheduler.job(jobId);
            if (job != null) job.runner.tell(new RunnerCommand.Cancel(why));
        }
    }

    private void leaveSession(Scheduler.JobState job) {
        if (job != null && job.session != null) sessions.jobEnded(job.session, job.jobId);
    }

    private Behavior<CoordinatorCommand> onCancel(CancelJob cancel) {
        Scheduler.JobState job = scheduler.job(cancel.jobId());
        if (job != null) job.runner.tell(new RunnerCommand.Cancel(cancel.reason()));
        return this;
    }

    private Behavior<CoordinatorCommand> onJobProgress(JobProgress progress) {
        Scheduler.JobState job = scheduler.job(progress.jobId());
        if (job != null) job.chunksDone = progress.chunksDone();
        return this;
    }

    private Behavior<CoordinatorCommand> onJobFinished(JobFinished done) {
        Scheduler.JobState job = scheduler.removeJob(done.jobId());
        leaveSession(job);
        metrics.jobEnded(done.state());
        metrics.jobsRunning(scheduler.jobs().size());
        announceContention();
        finished.add(new JobDetail(done.jobId(), job == null ? "?" : job.workload, done.state(), done.chunksDone(),
            done.chunksTotal(), done.outcome(), done.result(), done.report()));
        // A grant still lent to the runner was never read by it (its answer would have come first).
        scheduler.reclaim(done.jobId()).forEach(this::pump);
        return this;
    }

    private Behavior<CoordinatorCommand> onRunnerStopped(RunnerStopped stopped) {
        Scheduler.JobState job = scheduler.removeJob(stopped.jobId());
        if (job == null) return this;  // it finished normally
        leaveSession(job);
        metrics.jobEnded("FAILED");
        metrics.jobsRunning(scheduler.jobs().size());
        announceContention();
        String reason = "the job's runner on the head stopped unexpectedly (see the head's log)";
        getContext().getLog().error("job {}: {}", stopped.jobId(), reason);
        job.client.tell(new JobEvent.Failed(stopped.jobId(), reason, null));
        finished.add(new JobDetail(stopped.jobId(), job.workload, "FAILED", job.chunksDone, job.chunks, reason, null,
            null));
        scheduler.reclaim(stopped.jobId()).forEach(this::pump);
        return this;
    }

    /** Tells every runner whether it shares the slots with other jobs (only when that changes). */
    private void announceContention() {
        boolean shared = scheduler.jobs().size() > 1;
        for (Scheduler.JobState job : scheduler.jobs()) {
            if (job.contended != shared || !job.contentionAnnounced) {
                job.contended = shared;
                job.contentionAnnounced = true;
                job.runner.tell(new JobRunner.Contention(shared));
            }
        }
    }

    /** Its jobs stop with it (a restart stops the runners too): they no longer run on this node. */
    private Behavior<CoordinatorCommand> stopped() {
        metrics.jobsRunning(0);
        return this;
    }

    private Behavior<CoordinatorCommand> onGetStatus(GetStatus get) {
        List<ClusterStatus.Member> members = new ArrayList<>();
        Set<Member> unreachable = new HashSet<>();
        cluster.state().getUnreachable().forEach(unreachable::add);
        for (Member m : cluster.state().getMembers()) {
            Optional<NodeCapacity> capacity = NodeCapacity.fromRoles(m.getRoles());
            int slots = 0;
            for (Scheduler.SlotState s : scheduler.slots()) if (s.slot.node().equals(m.address())) slots++;
            NodeEndpoints endpoints = NodeEndpoints.fromRoles(m.getRoles());
            members.add(new ClusterStatus.Member(m.address().toString(), NodeCapacity.plainRoles(m.getRoles()),
                m.status().toString(), !unreachable.contains(m), capacity.map(NodeCapacity::cores).orElse(0),
                capacity.map(NodeCapacity::tags).orElse(Set.of()), slots, endpoints.metricsPort(),
                endpoints.httpPort()));
        }
        List<ClusterStatus.Job> jobs = new ArrayList<>(finished.rows());
        for (Scheduler.JobState j : scheduler.jobs()) {
            jobs.add(new ClusterStatus.Job(j.jobId, j.workload, "RUNNING", j.chunksDone, j.chunks));
        }
        get.replyTo().tell(new ClusterStatus(members, jobs));
        return this;
    }

    private Behavior<CoordinatorCommand> onGetJob(GetJob get) {
        Scheduler.JobState running = scheduler.job(get.jobId());
        Optional<JobDetail> job = running != null
            ? Optional.of(new JobDetail(running.jobId, running.workload, "RUNNING", running.chunksDone, running.chunks,
                null, null, null))
            : finished.find(get.jobId());
        boolean remote = get.replyTo().path().address().hasGlobalScope();
        get.replyTo().tell(new JobLookup(get.jobId(), remote ? job.map(FrameBudget::fit) : job));
        return this;
    }

    // ---- slots and credit

    private Behavior<CoordinatorCommand> onSlotReady(SlotReady ready) {
        if (scheduler.slot(ready.slot()) != null) return this;
        Address node = ready.slot().path().address();
        if (!node.hasGlobalScope()) node = cluster.selfMember().address();
        Optional<NodeCapacity> capacity = capacityOf(node);
        if (capacity.isEmpty()) {
            getContext().getLog().debug("slot {} on {} is not on a known worker yet", ready.slotId(), node);
            return this;
        }
        int number = WorkerSlots.slotNumber(ready.slotId());
        if (number < 0 || number >= desiredSlots()) {
            ready.slot().tell(new SlotCommand.Retire());
            return this;
        }
        scheduler.register(new Slot(ready.slot(), ready.largeInbox(), ready.slotId(), node, capacity.get()));
        retiring.remove(ready.slotId());
        getContext().watchWith(ready.slot(), new SlotStopped(ready.slot()));
        getContext().getLog().debug("slot {} registered on {}", ready.slotId(), node);
        return this;
    }

    private Behavior<CoordinatorCommand> onSlotDemand(SlotDemand demand) {
        Scheduler.SlotState s = scheduler.slot(demand.slot());
        if (s == null) return this;
        if (demand.resync()) {
            if (s.lentTo != null) return this;  // a grant is out; the slot's count includes it
            s.parked = demand.batches();
        } else {
            s.parked += demand.batches();
        }
        s.declined.clear();
        pump(s);
        return this;
    }

    private Behavior<CoordinatorCommand> onGrantDone(GrantDone done) {
        Scheduler.SlotState s = scheduler.slot(done.slot());
        if (s == null) return this;
        if (done.fresh()) s.declined.clear();
        scheduler.returned(s, done.jobId(), done.unused(), done.decline(), done.fresh());
        pump(s);
        return this;
    }

    private Behavior<CoordinatorCommand> onWorkAvailable(WorkAvailable work) {
        scheduler.workAvailable(work.jobId());
        pumpAll();
        return this;
    }

    private void pump(Scheduler.SlotState s) {
        Scheduler.Lend lend = scheduler.lend(s);
        if (lend == null) return;
        lend.job().runner.tell(new JobRunner.Grant(s.slot, lend.batches(),
            scheduler.eligibleSlots(lend.job()), scheduler.eligibleNodes(lend.job())));
    }

    private void pumpAll() {
        for (Scheduler.SlotState s : scheduler.slots()) pump(s);
    }

    private Behavior<CoordinatorCommand> onSlotStopped(SlotStopped stopped) {
        Scheduler.SlotState s = scheduler.remove(stopped.slot());
        if (s == null) return this;
        getContext().getLog().debug("slot {} on {} stopped", s.slot.slotId(), s.slot.node());
        for (Scheduler.JobState job : scheduler.jobs()) job.runner.tell(new JobRunner.SlotLost(stopped.slot()));
        return this;
    }

    // ---- membership

    private Behavior<CoordinatorCommand> onMembership(MembershipChanged changed) {
        ClusterEvent.MemberEvent event = changed.event();
        Address node = event.member().address();
        if (event instanceof ClusterEvent.MemberUp || event instanceof ClusterEvent.MemberWeaklyUp) {
            wakeSlots();
        } else if (event instanceof ClusterEvent.MemberRemoved || event instanceof ClusterEvent.MemberExited
                || event instanceof ClusterEvent.MemberDowned) {
            List<Scheduler.SlotState> removed = scheduler.removeNode(node);
            if (!removed.isEmpty()) {
                getContext().getLog().info("worker {} left ({}); {} slots gone", NodeAddress.of(node),
                    event.getClass().getSimpleName(), removed.size());
            }
            nodeLost(node);
            if (event instanceof ClusterEvent.MemberRemoved) cancelJobsOf(node);
            wakeSlots();
        }
        return this;
    }

    /**
     * A job whose client ran inside a cluster member that left has no one to give its result to: it
     * stops, freeing its slots. (Clients outside the cluster have a session instead: onClientGone.)
     */
    private void cancelJobsOf(Address node) {
        for (Scheduler.JobState job : scheduler.jobs()) {
            if (node.equals(job.client.path().address())) {
                job.runner.tell(new RunnerCommand.Cancel("its client (" + NodeAddress.of(node) + ") left the cluster"));
            }
        }
    }

    private Behavior<CoordinatorCommand> onReachability(ReachabilityChanged changed) {
        ClusterEvent.ReachabilityEvent event = changed.event();
        Address node = event.member().address();
        if (event instanceof ClusterEvent.UnreachableMember) {
            getContext().getLog().warn("{} is unreachable; its chunks in flight are re-queued", NodeAddress.of(node));
            scheduler.unreachable(node);
            nodeLost(node);
        } else if (event instanceof ClusterEvent.ReachableMember) {
            getContext().getLog().info("{} is reachable again", node);
            scheduler.reachable(node);
            pumpAll();
        }
        return this;
    }

    private void nodeLost(Address node) {
        for (Scheduler.JobState job : scheduler.jobs()) job.runner.tell(new JobRunner.NodeLost(node));
    }

    private Behavior<CoordinatorCommand> onTick() {
        wakeSlots();
        long now = System.nanoTime();
        sessions.expired(now).forEach((session, jobs) -> cancelJobs(jobs, "its client ("
            + NodeAddress.of(session.path().address()) + ") fell silent for " + settings.clientTimeout().toSeconds()
            + "s (its process or its network went away)"));
        for (Scheduler.JobState job : scheduler.jobs()) {
            if (scheduler.eligibleSlots(job) > 0) {
                job.noSlotSinceNanos = -1;
            } else if (job.noSlotSinceNanos < 0) {
                job.noSlotSinceNanos = now;
            } else if (now - job.noSlotSinceNanos > settings.noWorkerTimeout().toNanos()) {
                job.noSlotSinceNanos = now;
                job.runner.tell(new RunnerCommand.Cancel("no live worker able to run it (requires " + job.requires
                    + ") for " + settings.noWorkerTimeout().toSeconds() + "s"));
            }
        }
        return this;
    }

    /** Wakes every slot the workers' cores call for that has not registered; retires the excess. */
    private void wakeSlots() {
        int desired = desiredSlots();
        Set<String> registered = scheduler.registeredSlotIds();
        for (int i = 0; i < desired; i++) {
            String id = WorkerSlots.slotId(i);
            if (!registered.contains(id)) {
                slotRegion.tell(new ShardingEnvelope<>(id, new SlotCommand.Wake(getContext().getSelf(), epoch)));
            }
        }
        for (Scheduler.SlotState s : scheduler.slots()) {
            if (WorkerSlots.slotNumber(s.slot.slotId()) >= desired && retiring.add(s.slot.slotId())) {
                s.slot.ref().tell(new SlotCommand.Retire());
            }
        }
    }

    private int desiredSlots() {
        int cores = 0;
        for (Member m : cluster.state().getMembers()) {
            if (m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp()) {
                cores += NodeCapacity.fromRoles(m.getRoles()).map(NodeCapacity::cores).orElse(0);
            }
        }
        return cores;
    }

    private Optional<NodeCapacity> capacityOf(Address node) {
        for (Member m : cluster.state().getMembers()) {
            if (m.address().equals(node)) return NodeCapacity.fromRoles(m.getRoles());
        }
        return Optional.empty();
    }

    private static boolean isActive(Member m) {
        MemberStatus s = m.status();
        return s == MemberStatus.up() || s == MemberStatus.weaklyUp() || s == MemberStatus.joining();
    }
}
