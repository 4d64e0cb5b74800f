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
import java.util.concurrent.CompletionStage;
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
import org.pekkogrid.journal.JournalPlugins;
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
import org.pekkogrid.protocol.CoordinatorCommand.StuckThreads;
import org.pekkogrid.protocol.CoordinatorCommand.SubmitJob;
import org.pekkogrid.protocol.JobDetail;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobLookup;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.protocol.JobTicket;
import org.pekkogrid.protocol.LocalOnly;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.protocol.NodeCapacity;
import org.pekkogrid.protocol.NodeEndpoints;
import org.pekkogrid.protocol.NodeLogFile;
import org.pekkogrid.protocol.Requirements;
import org.pekkogrid.protocol.RunnerCommand;
import org.pekkogrid.protocol.SlotCommand;
import org.pekkogrid.protocol.WorkerSlots;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.WorkloadJars;
import org.pekkogrid.workloads.FileRoots;

/**
 * The head's job coordinator, a cluster singleton: it validates and accepts jobs, starts a
 * {@link JobRunner} per job up to {@code grid.head.max-jobs} and queues the rest
 * ({@link JobQueue}, within {@link JobLimits}), keeps the registry of worker slots, lends their
 * credit to the running jobs in turn, wakes slots as worker nodes join and tells runners when a
 * node is lost.
 */
public final class JobCoordinator extends AbstractBehavior<CoordinatorCommand> {

    /**
     * From a runner: {@code unused} batches of a slot's credit come back, with why it did not use them.
     *
     * @param fresh the credit came with the slot's results, not from a grant of the coordinator
     */
    record GrantDone(String jobId, ActorRef<SlotCommand> slot, int unused, JobRunner.Decline decline, boolean fresh)
        implements CoordinatorCommand, LocalOnly {}

    /** From a runner that declined credit earlier: it has work again. */
    record WorkAvailable(String jobId) implements CoordinatorCommand, LocalOnly {}

    record ChunksDone(String jobId, long chunksDone, long chunksTotal) implements CoordinatorCommand, LocalOnly {}

    /**
     * A runner's last message.
     *
     * @param report null only when the runner could not make one
     */
    record JobFinished(String jobId, String state, long chunksDone, long chunksTotal, String outcome,
                       JsonNode result, JobReport report) implements CoordinatorCommand, LocalOnly {}

    private record SlotStopped(ActorRef<SlotCommand> slot) implements CoordinatorCommand, LocalOnly {}

    private record RunnerStopped(String jobId) implements CoordinatorCommand, LocalOnly {}

    private record MembershipChanged(ClusterEvent.MemberEvent event) implements CoordinatorCommand, LocalOnly {}

    private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements CoordinatorCommand, LocalOnly {}

    private record Tick() implements CoordinatorCommand, LocalOnly {}

    private record JarRecovered(JarRecovery.Recovered answer) implements CoordinatorCommand, LocalOnly {}

    /** Time to tell the queued jobs that moved their positions. */
    private record TellPositions() implements CoordinatorCommand, LocalOnly {}

    /** The journal database opened, or could not. */
    private record JournalOpened(JournalPlugins plugins, Throwable failure) implements CoordinatorCommand, LocalOnly {}

    /** Try again to open the journal, after it failed to. */
    private record OpenJournal() implements CoordinatorCommand, LocalOnly {}

    private record BookRead(JobBook.Recovered recovered) implements CoordinatorCommand, LocalOnly {}

    private record JobStored(String jobId) implements CoordinatorCommand, LocalOnly {}

    public static Behavior<CoordinatorCommand> create(HeadSettings settings,
                                                      ActorRef<ShardingEnvelope<SlotCommand>> slots) {
        return create(settings, slots, HeadMetrics.OFF);
    }

    public static Behavior<CoordinatorCommand> create(HeadSettings settings,
                                                      ActorRef<ShardingEnvelope<SlotCommand>> slots,
                                                      HeadMetrics metrics) {
        return create(settings, slots, metrics, JobJournalSettings.OFF, null);
    }

    /**
     * @param journal the job journal; null when the head keeps none
     */
    static Behavior<CoordinatorCommand> create(HeadSettings settings, ActorRef<ShardingEnvelope<SlotCommand>> slots,
                                               HeadMetrics metrics, JobJournalSettings journalSettings,
                                               JobJournalAccess journal) {
        return create(settings, slots, metrics, journalSettings, journal, null);
    }

    /** @param jars the workload jars of this head, for jobs that ship one; null when the head takes none */
    static Behavior<CoordinatorCommand> create(HeadSettings settings, ActorRef<ShardingEnvelope<SlotCommand>> slots,
                                               HeadMetrics metrics, JobJournalSettings journalSettings,
                                               JobJournalAccess journal, HeadJars jars) {
        return Behaviors.<CoordinatorCommand>supervise(
                Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
                    timers.startTimerWithFixedDelay(new Tick(), settings.wakeInterval());
                    return new JobCoordinator(ctx, settings, slots, metrics, journalSettings, journal, jars);
                })))
            // A message the coordinator fails on (a bug, or one forged on the wire: its internal
            // messages are GridMessages too) is logged and dropped. A restart would stop every
            // job's runner and forget the credit of every slot.
            .onFailure(SupervisorStrategy.resume());
    }

    private final HeadSettings settings;
    /** The workload jars jobs ship; null when this head takes none. */
    private final HeadJars jars;
    /** Where jobs' path parameters may lead on this head (grid.files.roots). */
    private final FileRoots fileRoots;
    private final ActorRef<ShardingEnvelope<SlotCommand>> slotRegion;
    private final Cluster cluster;
    private final Scheduler scheduler = new Scheduler();
    private final HeadMetrics metrics;
    private final FinishedJobs finished;
    private final Set<String> retiring = new HashSet<>();
    /** Worker nodes with compute threads stuck in chunks, as their slots last said; for status only. */
    private final Map<Address, Integer> stuckThreads = new java.util.HashMap<>();
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
    private final JobJournalSettings journalSettings;
    private final JobJournalAccess journal;
    /** Whether the journal was read back once: the jobs it held are running again. */
    private boolean bookRead;
    /** The job journal; null when the head keeps none, or until its database is open. */
    private ActorRef<JobBook.Command> book;
    /** Whether jobs can be taken: no journal, or the journal read back. Until then clients' requests wait. */
    private boolean ready;
    /** Why the journal is not available, when it is not: jobs are then refused. */
    private String journalProblem;
    private final java.util.ArrayDeque<CoordinatorCommand> waiting = new java.util.ArrayDeque<>();
    /** Jobs validated and waiting for the journal to store them; their clients hear nothing until then. */
    private final Map<String, AcceptedJob> storing = new LinkedHashMap<>();
    /** Jobs accepted beyond grid.head.max-jobs, waiting for running ones to end. */
    private final JobQueue<AcceptedJob> queue = new JobQueue<>();
    private final JobLimits<Object> limits;
    /** Whether queued jobs moved and a TellPositions is on its way. */
    private boolean positionsDue;
    private final Map<String, String> submissionOfJob = new java.util.HashMap<>();
    /** Jobs cancelled while the journal stored them: they start, and stop at once, so that their end is written. */
    private final Map<String, String> cancelWhenStored = new java.util.HashMap<>();
    private final ActorRef<JobBook.Stored> storedAdapter;
    /**
     * Jobs read back from the journal whose workload jar this head lacks, by jar: resumed once a
     * {@link JarRecovery} brings it, failed if none can.
     */
    private final Map<String, List<JobBook.OpenJob>> awaitingJar = new java.util.HashMap<>();
    /** Clients that asked to follow a job while it waited for its jar, by job. */
    private final Map<String, List<FollowJob>> jarFollowers = new java.util.HashMap<>();
    /** Queued jobs whose client closed while they waited (submitted detached): their events go to followers only. */
    private final Set<String> clientLeft = new HashSet<>();

    /** A client sends its submit again within seconds; this many ids cover far more than that. */
    private static final int SUBMISSIONS_KEPT = 10_000;

    private JobCoordinator(ActorContext<CoordinatorCommand> ctx, HeadSettings settings,
                           ActorRef<ShardingEnvelope<SlotCommand>> slotRegion, HeadMetrics metrics,
                           JobJournalSettings journalSettings, JobJournalAccess journal, HeadJars jars) {
        super(ctx);
        this.jars = jars;
        this.journalSettings = journalSettings;
        this.journal = journal;
        this.storedAdapter = ctx.messageAdapter(JobBook.Stored.class, m -> new JobStored(m.jobId()));
        if (journal == null) {
            ready = true;
        } else {
            ctx.pipeToSelf(journal.open(), JournalOpened::new);
        }
        this.settings = settings;
        this.fileRoots = FileRoots.from(ctx.getSystem().settings().config());
        this.limits = JobLimits.from(settings);
        this.slotRegion = slotRegion;
        this.metrics = metrics;
        this.finished = new FinishedJobs(settings.finishedJobsKept(), settings.reportsKept());
        this.sessions = new ClientSessions<>(settings.clientTimeout().toNanos());
        metrics.jobsRunning(0);
        metrics.jobsQueued(0);
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
            .onMessage(SubmitJob.class, m -> held(m) ? this : onSubmit(m))
            .onMessage(FollowJob.class, m -> held(m) ? this : onFollow(m))
            .onMessage(ClientAlive.class, m -> {
                sessions.alive(m.session(), System.nanoTime());
                return this;
            })
            .onMessage(ClientClosed.class, this::onClientClosed)
            .onMessage(CancelJob.class, m -> held(m) ? this : onCancel(m))
            .onMessage(GetStatus.class, this::onGetStatus)
            .onMessage(GetJob.class, m -> held(m) ? this : onGetJob(m))
            .onMessage(JournalOpened.class, this::onJournalOpened)
            .onMessage(OpenJournal.class, m -> {
                getContext().pipeToSelf(journal.open(), JournalOpened::new);
                return this;
            })
            .onMessage(BookRead.class, this::onBookRead)
            .onMessage(JobStored.class, this::onJobStored)
            .onMessage(SlotReady.class, this::onSlotReady)
            .onMessage(SlotDemand.class, this::onSlotDemand)
            .onMessage(StuckThreads.class, this::onStuckThreads)
            .onMessage(GrantDone.class, this::onGrantDone)
            .onMessage(WorkAvailable.class, this::onWorkAvailable)
            .onMessage(ChunksDone.class, this::onJobProgress)
            .onMessage(JobFinished.class, this::onJobFinished)
            .onMessage(RunnerStopped.class, this::onRunnerStopped)
            .onMessage(SlotStopped.class, this::onSlotStopped)
            .onMessage(MembershipChanged.class, this::onMembership)
            .onMessage(ReachabilityChanged.class, this::onReachability)
            .onMessage(Tick.class, m -> onTick())
            .onMessage(TellPositions.class, m -> onTellPositions())
            .onMessage(JarRecovered.class, this::onJarRecovered)
            .onSignal(PostStop.class, s -> stopped())
            .onSignal(PreRestart.class, s -> stopped())
            .build();
    }

    // ---- jobs

    private Behavior<CoordinatorCommand> onSubmit(SubmitJob submit) {
        String earlier = submit.submissionId() == null ? null : submissions.get(submit.submissionId());
        if (earlier != null) return onFollow(new FollowJob(earlier, submit.replyTo()));
        String jobId = newJobId();
        JobSpec spec = submit.spec();
        if (journalProblem != null) {
            return reject(submit, jobId, "the head cannot keep jobs in its job journal, so it takes none: "
                + journalProblem);
        }
        Optional<String> refused = journal == null ? Optional.empty() : journal.refusal();
        if (refused.isPresent()) {
            return reject(submit, jobId, "the head may not write to its job journal now, so it takes no job: "
                + refused.get());
        }
        Object client = AcceptedJob.clientOf(submit.session(), submit.replyTo());
        Optional<String> overLimit = limits.refusal(client, scheduler.jobCount(), storing.size() + queue.size());
        if (overLimit.isPresent()) return reject(submit, jobId, overLimit.get());
        if (spec.jar() != null && jars != null) {
            String notGranted = jars.shipping().refusal(spec.jar(), submit.proof());
            if (notGranted != null) return reject(submit, jobId, notGranted);
        }
        BoundJob<?, ?, ?, ?> job;
        try {
            job = bind(spec, jobId);
        } catch (IllegalArgumentException e) {
            return reject(submit, jobId, e.getMessage());
        } catch (RuntimeException e) {
            return reject(submit, jobId, spec.workload() + " cannot start: " + e);
        }
        Optional<String> tooLarge = outgrowsFrames(job);
        if (tooLarge.isPresent()) return reject(submit, jobId, tooLarge.get());
        Requirements requires = spec.requires().and(job.requirements());
        Optional<String> unsatisfiable = unsatisfiable(requires);
        if (unsatisfiable.isPresent()) return reject(submit, jobId, unsatisfiable.get());
        Duration chunkTimeout = spec.chunkTimeout() != null ? spec.chunkTimeout() : settings.chunkTimeout();
        int maxRetries = spec.maxRetries() != null ? spec.maxRetries() : settings.maxRetries();
        JobTicket ticket = ticket(jobId, spec, job.chunks(), chunkTimeout);
        if (submit.submissionId() != null) submissions.put(submit.submissionId(), jobId);
        AcceptedJob accepted = new AcceptedJob(submit, jobId, job, requires, ticket, maxRetries, null, 0,
            new ArrayList<>(0), System.currentTimeMillis());
        limits.accepted(client);
        if (book == null) {
            admit(accepted);
            return this;
        }
        // The client hears Accepted only once the journal holds the job: an accepted job is one a
        // standby head can resume.
        storing.put(jobId, accepted);
        // The chunk count as bound: a workload's default may depend on its inputs (grayscale's listing).
        book.tell(new JobBook.Accept(new JobBook.OpenJob(jobId, spec.withChunks(job.chunks()), submit.submissionId(),
            submit.replyTo(),
            submit.session(), System.currentTimeMillis(), null), storedAdapter));
        return this;
    }

    private String newJobId() {
        String jobId;
        do {
            jobId = idPrefix + (++jobsStarted);
        } while (scheduler.job(jobId) != null || storing.containsKey(jobId) || queue.contains(jobId)
            || finished.find(jobId).isPresent());
        return jobId;
    }

    /**
     * A job the head holds now (in its journal, when it keeps one): it starts, or waits its turn in
     * the queue and its client hears so. Jobs queued earlier start first.
     */
    private void admit(AcceptedJob job) {
        SubmitJob submit = job.submit();
        if (submit.submissionId() != null) submissionOfJob.put(job.jobId(), submit.submissionId());
        if (submit.session() != null) sessions.jobStarted(submit.session(), job.jobId(), System.nanoTime());
        if (!job.resumed()) metrics.jobAccepted();
        int position = queue.add(job.jobId(), job);
        startWaiting();
        if (!queue.contains(job.jobId())) return;
        getContext().getLog().debug("job {} queued at position {}", job.jobId(), position);
        for (ActorRef<JobEvent> listener : listenersOf(job)) {
            listener.tell(accepted(job));
            listener.tell(new JobEvent.Queued(job.jobId(), position));
        }
    }

    /** A queued job's Accepted: it has no runner yet. */
    private static JobEvent.Accepted accepted(AcceptedJob job) {
        return new JobEvent.Accepted(job.jobId(), job.workload(), job.job().chunks(), job.requires(), null);
    }

    /** Starts queued jobs, first in line first, while fewer than grid.head.max-jobs run. */
    private void startWaiting() {
        while (!queue.isEmpty()) {
            AcceptedJob next = queue.next(j -> limits.mayStart(j.client(), scheduler.jobCount()));
            if (next == null) break;
            startJob(next);
        }
        metrics.jobsQueued(queue.size());
        if (!positionsDue && !queue.isEmpty()) {
            positionsDue = true;
            getContext().scheduleOnce(settings.progressInterval(), getContext().getSelf(), new TellPositions());
        }
    }

    private Behavior<CoordinatorCommand> onTellPositions() {
        positionsDue = false;
        for (JobQueue.Place<AcceptedJob> moved : queue.moved()) {
            JobEvent.Queued queued = new JobEvent.Queued(moved.jobId(), moved.position());
            for (ActorRef<JobEvent> listener : listenersOf(moved.job())) listener.tell(queued);
        }
        return this;
    }

    private void startJob(AcceptedJob accepted) {
        SubmitJob submit = accepted.submit();
        JobSpec spec = submit.spec();
        String jobId = accepted.jobId();
        BoundJob<?, ?, ?, ?> job = accepted.job();
        JobRunner.Journal journal = journalFor(accepted.checkpoint(), accepted.acceptedAtMillis());
        // A detached job whose client closed while it waited reports to nobody but its followers.
        ActorRef<JobEvent> client = clientLeft.remove(jobId) ? getContext().getSystem().ignoreRef() : submit.replyTo();
        ActorRef<RunnerCommand> runner = getContext().spawn(
            JobRunner.create(jobId, accepted.ticket(), job, accepted.requires(), accepted.maxRetries(), spec.timings(),
                settings, client, getContext().getSelf(), metrics.job(spec.workload(), accepted.requires().cpus()), journal),
            jobId);
        getContext().watchWith(runner, new RunnerStopped(jobId));
        Scheduler.JobState state = new Scheduler.JobState(jobId, spec.workload(), runner, accepted.requires(),
            job.chunks(), submit.replyTo(), submit.session());
        state.acceptedAtMillis = accepted.firstAcceptedMillis();
        state.clientName = AcceptedJob.clientName(submit.session(), submit.replyTo());
        scheduler.addJob(state);
        limits.started(accepted.client());
        for (ActorRef<JobEvent> follower : accepted.followers()) runner.tell(new JobRunner.Follow(follower));
        metrics.jobsRunning(scheduler.jobCount());
        announceContention();
        // Debug, not info: a grid running thousands of small jobs a second would spend its time logging.
        getContext().getLog().debug("job {} {}: {} {} in {} chunks, requires {}", jobId,
            journal.resumed() ? "resumed" : "started", spec.workload(), spec.params(), job.chunks(),
            accepted.requires());
        pumpAll();
    }

    private JobRunner.Journal journalFor(JobProgress.Saved restored, long acceptedAtMillis) {
        return book == null ? JobRunner.Journal.OFF
            : new JobRunner.Journal(book, journalSettings.checkpointEvery(), journalSettings.checkpointChunks(),
                restored, acceptedAtMillis);
    }

    // ---- the job journal

    /** Holds a client's request until the journal is read back: it may be about a job the journal holds. */
    private boolean held(CoordinatorCommand request) {
        // While the journal cannot be opened, submits are refused at once; the rest wait for it.
        if (ready || (journalProblem != null && request instanceof SubmitJob)) return false;
        if (waiting.size() >= 10_000) {
            getContext().getLog().warn("dropping a request while the job journal is read: {} wait already", waiting.size());
            return true;
        }
        waiting.add(request);
        return true;
    }

    private Behavior<CoordinatorCommand> onJournalOpened(JournalOpened opened) {
        if (journal == null || book != null) return this;  // not asked for: forged or garbled
        if (opened.failure() != null) {
            Throwable cause = opened.failure() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                ? c.getCause() : opened.failure();
            journalProblem = journal.description() + ": " + cause.getMessage();
            getContext().getLog().error("the job journal cannot be opened; jobs are refused until it can: {}",
                journalProblem);
            List<CoordinatorCommand> submits = new ArrayList<>();
            waiting.removeIf(m -> m instanceof SubmitJob && submits.add(m));
            submits.forEach(getContext().getSelf()::tell);
            getContext().scheduleOnce(Duration.ofSeconds(5), getContext().getSelf(), new OpenJournal());
            return this;
        }
        journalProblem = null;
        book = getContext().spawn(JobBook.create(opened.plugins(), settings.finishedJobsKept(),
            getContext().messageAdapter(JobBook.Recovered.class, BookRead::new)), "journal");
        return this;
    }

    private Behavior<CoordinatorCommand> onBookRead(BookRead read) {
        JobBook.Recovered recovered = read.recovered();
        if (book == null || recovered == null || recovered.open() == null || recovered.ended() == null) return this;
        if (bookRead) {
            // The book restarted after a write failed: the jobs it holds were stored, the others were not.
            Set<String> open = new HashSet<>();
            for (JobBook.OpenJob job : recovered.open()) open.add(job.jobId());
            for (AcceptedJob s : List.copyOf(storing.values())) {
                if (open.contains(s.jobId())) {
                    onJobStored(new JobStored(s.jobId()));
                } else {
                    storing.remove(s.jobId());
                    submissions.values().remove(s.jobId());
                    limits.ended(s.client(), false);
                    reject(s.submit(), s.jobId(), "the job journal could not store it (see the head's log); "
                        + "nothing of it ran");
                }
            }
            return this;
        }
        for (JobBook.EndedJob ended : recovered.ended()) {
            finished.add(ended.detail());
            if (ended.submissionId() != null) submissions.put(ended.submissionId(), ended.detail().job());
        }
        for (JobBook.OpenJob open : recovered.open()) resume(open);
        bookRead = true;
        becomeReady();
        return this;
    }

    private void becomeReady() {
        ready = true;
        while (!waiting.isEmpty()) getContext().getSelf().tell(waiting.removeFirst());
    }

    /**
     * Starts again a job the journal holds as open, from its last checkpoint, for the client that
     * submitted it; or queues it again, as jobs beyond grid.head.max-jobs are (the journal lists
     * them in the order they were accepted).
     */
    private void resume(JobBook.OpenJob open) {
        JobSpec spec = open.spec();
        if (open.submissionId() != null) submissions.put(open.submissionId(), open.jobId());
        String jar = spec.jar();
        if (jar != null && jars != null && !jars.jars().has(jar)) {
            // The head that took the jar died with it: fetch it from a node that keeps it, then resume.
            List<JobBook.OpenJob> jobs = awaitingJar.computeIfAbsent(jar, k -> new ArrayList<>(1));
            if (jobs.isEmpty()) {
                getContext().spawnAnonymous(JarRecovery.create(jars.jars(), jar,
                    getContext().getSystem().settings().config().getDuration("grid.jars.fetch-timeout"), jars.store(),
                    getContext().messageAdapter(JarRecovery.Recovered.class, JarRecovered::new)));
            }
            jobs.add(open);
            return;
        }
        SubmitJob submit = new SubmitJob(spec, open.client(), open.submissionId(), open.session());
        BoundJob<?, ?, ?, ?> job;
        try {
            job = bind(spec, open.jobId());
        } catch (RuntimeException e) {
            if (jars != null) jars.jars().release(open.jobId());
            failResume(open, e.getMessage());
            return;
        }
        Requirements requires = spec.requires().and(job.requirements());
        Duration chunkTimeout = spec.chunkTimeout() != null ? spec.chunkTimeout() : settings.chunkTimeout();
        int maxRetries = spec.maxRetries() != null ? spec.maxRetries() : settings.maxRetries();
        JobTicket ticket = ticket(open.jobId(), spec, job.chunks(), chunkTimeout);
        AcceptedJob resumed = new AcceptedJob(submit, open.jobId(), job, requires, ticket, maxRetries,
            open.checkpoint(), open.acceptedAtMillis(), new ArrayList<>(0), open.acceptedAtMillis());
        limits.accepted(resumed.client());
        admit(resumed);
    }

    /** A job read back from the journal that cannot run here ends, failed, saying why; its client hears it. */
    private void failResume(JobBook.OpenJob open, String why) {
        JobSpec spec = open.spec();
        String reason = "it cannot be resumed on this head: " + why;
        open.client().tell(new JobEvent.Failed(open.jobId(), reason, null));
        JobDetail detail = new JobDetail(open.jobId(), spec.workload(), "FAILED", 0, spec.chunks(), reason, null, null);
        finished.add(detail);
        book.tell(new JobBook.End(new JobBook.EndedJob(detail, open.submissionId())));
    }

    private Behavior<CoordinatorCommand> onJarRecovered(JarRecovered recovered) {
        List<JobBook.OpenJob> jobs = awaitingJar.remove(recovered.answer().sha256());
        if (jobs == null) return this;
        for (JobBook.OpenJob open : jobs) {
            if (recovered.answer().problem() == null) resume(open);
            else failResume(open, recovered.answer().problem());
            List<FollowJob> follows = jarFollowers.remove(open.jobId());
            if (follows != null) follows.forEach(getContext().getSelf()::tell);
        }
        return this;
    }

    private Behavior<CoordinatorCommand> onJobStored(JobStored stored) {
        AcceptedJob s = storing.remove(stored.jobId());
        if (s == null) return this;
        admit(s);
        String cancelled = cancelWhenStored.remove(s.jobId());
        if (cancelled != null) cancel(s.jobId(), cancelled);
        return this;
    }

    /**
     * The job bound to its workload: one on the class path, or the one its jar holds (the jar is then
     * open for this job until it ends, see {@link #recordEnd}).
     */
    private BoundJob<?, ?, ?, ?> bind(JobSpec spec, String jobId) {
        if (spec.jar() == null) {
            return BoundJob.bind(spec.workload(), spec.params(), spec.chunks(), settings.maxChunks(), fileRoots);
        }
        if (jars == null) throw new IllegalArgumentException(HeadJars.NONE_TAKEN);
        org.pekkogrid.workloads.Workload<?, ?, ?, ?> workload = jars.jars().use(spec.jar(), spec.workload(), jobId);
        try {
            return BoundJob.bind(workload, spec.params(), spec.chunks(), settings.maxChunks(), fileRoots);
        } catch (RuntimeException | LinkageError e) {
            jars.jars().release(jobId);
            if (e instanceof IllegalArgumentException iae) throw iae;
            throw new IllegalArgumentException(spec.workload() + " from the jar " + WorkloadJars.shortName(spec.jar())
                + " cannot start: " + e, e);
        }
    }

    private JobTicket ticket(String jobId, JobSpec spec, long chunks, Duration chunkTimeout) {
        return new JobTicket(jobId, spec.workload(), spec.params(), chunks, chunkTimeout, spec.jar(),
            spec.jar() == null ? null : jars.store());
    }

    /** Tells the journal how a job ended, its report without the long lists. */
    private void recordEnd(JobDetail detail) {
        if (jars != null) jars.jars().release(detail.job());
        String submissionId = submissionOfJob.remove(detail.job());
        if (book == null) return;
        JobDetail kept = detail.report() == null ? detail : detail.withReport(detail.report().withoutSeries(), false);
        book.tell(new JobBook.End(new JobBook.EndedJob(kept, submissionId)));
    }

    private Behavior<CoordinatorCommand> reject(SubmitJob submit, String jobId, String reason) {
        if (jars != null) jars.jars().release(jobId);
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

    /** Envelope and encoding around a travelling chunk's bytes in its message. */
    private static final long CHUNK_MESSAGE_OVERHEAD = 64 * 1024;

    /**
     * Why the job's travelling chunks could be larger than the largest message Artery carries,
     * which would drop them on the wire; empty when they fit.
     */
    private Optional<String> outgrowsFrames(BoundJob<?, ?, ?, ?> job) {
        String setting = "pekko.remote.artery.advanced.maximum-large-frame-size";
        com.typesafe.config.Config config = getContext().getSystem().settings().config();
        long chunkBytes = job.travellingChunkBytes();
        if (chunkBytes <= 0 || !config.hasPath(setting)) return Optional.empty();
        long frame = config.getBytes(setting);
        if (chunkBytes + CHUNK_MESSAGE_OVERHEAD <= frame) return Optional.empty();
        return Optional.of("its chunks may carry up to " + org.pekkogrid.protocol.ByteSize.format(chunkBytes)
            + " each, more than a message between nodes may hold (" + org.pekkogrid.protocol.ByteSize.format(frame)
            + ", " + setting + ", less " + CHUNK_MESSAGE_OVERHEAD / 1024 + " KiB for the message around them); "
            + "give a smaller per-chunk size (grayscale: inlineChunkBytes), or raise that setting on every node");
    }

    /** A running job gains a listener; a finished one sends its end at once; an unknown one says so. */
    private Behavior<CoordinatorCommand> onFollow(FollowJob follow) {
        for (List<JobBook.OpenJob> jobs : awaitingJar.values()) {
            for (JobBook.OpenJob open : jobs) {
                if (open.jobId().equals(follow.jobId())) {
                    // Asked again once the jar is here (or is not): the job is then running, or ended.
                    jarFollowers.computeIfAbsent(follow.jobId(), k -> new ArrayList<>(1)).add(follow);
                    return this;
                }
            }
        }
        Scheduler.JobState running = scheduler.job(follow.jobId());
        if (running != null) {
            running.runner.tell(new JobRunner.Follow(follow.replyTo()));
            return this;
        }
        AcceptedJob being = storing.get(follow.jobId());
        if (being != null) {
            if (!being.submit().replyTo().equals(follow.replyTo())) being.followers().add(follow.replyTo());
            return this;
        }
        AcceptedJob queued = queue.get(follow.jobId());
        if (queued != null) {
            if (!queued.listeners().contains(follow.replyTo())) queued.followers().add(follow.replyTo());
            // As a runner answers a follow: Accepted first (a submit sent again is answered so), then where it is.
            follow.replyTo().tell(accepted(queued));
            follow.replyTo().tell(new JobEvent.Queued(follow.jobId(), queue.position(follow.jobId())));
            return this;
        }
        Optional<JobDetail> done = finished.find(follow.jobId());
        if (done.isEmpty()) {
            follow.replyTo().tell(new JobEvent.NotFound(follow.jobId(), "the head knows no job \"" + follow.jobId()
                + "\": it knows its queued and running jobs and the last " + settings.finishedJobsKept() + " finished ones, and "
                + "forgets those of a coordinator that stopped (its head died or left)"));
            return this;
        }
        JobDetail job = follow.replyTo().path().address().hasGlobalScope() ? FrameBudget.fit(done.get()) : done.get();
        follow.replyTo().tell(switch (job.state()) {
            case "COMPLETED" -> new JobEvent.Completed(job.job(), job.result(), job.outcome(), job.report());
            case "CANCELLED" -> new JobEvent.Cancelled(job.job(), job.outcome(), job.report());
            default -> new JobEvent.Failed(job.job(), job.outcome(), job.report());
        });
        return this;
    }

    /** Nobody is left to take these jobs' results: they stop, freeing their slots, or leave the queue. */
    private void cancelJobs(Set<String> jobIds, String why) {
        for (String jobId : List.copyOf(jobIds)) cancel(jobId, why);
    }

    /** A running job ended: its client's session and limits no longer count it. */
    private void runningJobLeft(Scheduler.JobState job) {
        if (job.session != null) sessions.jobEnded(job.session, job.jobId);
        limits.ended(AcceptedJob.clientOf(job.session, job.client), true);
    }

    /**
     * Only the client that submitted a job may cancel it: a client of the cluster port by its
     * session, the HTTP API (which has no sessions) only jobs submitted over HTTP. Job ids are
     * listed to anyone who may ask for the status; sessions are not.
     */
    private Behavior<CoordinatorCommand> onCancel(CancelJob cancel) {
        String jobId = cancel.jobId();
        AcceptedJob waiting = storing.containsKey(jobId) ? storing.get(jobId) : queue.get(jobId);
        Scheduler.JobState running = scheduler.job(jobId);
        if (waiting == null && running == null) {
            answer(cancel, false, "job \"" + jobId + "\" is neither queued nor running");
            return this;
        }
        ActorRef<Void> owner = waiting != null ? waiting.submit().session() : running.session;
        if (!java.util.Objects.equals(owner, cancel.session())) {
            String who = cancel.session() == null ? "the HTTP API" : NodeAddress.of(cancel.session().path().address());
            getContext().getLog().warn("job {}: a cancel from {} was refused: only the client that submitted the job "
                + "may cancel it", jobId, who);
            String submitter = owner == null ? "the HTTP API or a detached submit"
                : "the client at " + NodeAddress.of(owner.path().address()) + ", which follows it";
            answer(cancel, false, "only the client that submitted job \"" + jobId + "\" may cancel it: " + submitter
                + (owner == null ? "" : " (stopping that client, or Ctrl-C on its `grid submit`, cancels the job)"));
            return this;
        }
        cancel(jobId, cancel.reason());
        answer(cancel, true, null);
        return this;
    }

    private static void answer(CancelJob cancel, boolean cancelling, String reason) {
        if (cancel.replyTo() != null) cancel.replyTo().tell(new CoordinatorCommand.CancelAnswer(cancel.jobId(), cancelling, reason));
    }

    /** A running job's runner stops it; a queued one leaves the queue; one being stored, once it is. */
    private void cancel(String jobId, String reason) {
        if (storing.containsKey(jobId)) {
            cancelWhenStored.put(jobId, reason);
            return;
        }
        AcceptedJob queued = queue.remove(jobId);
        if (queued != null) {
            endQueued(queued, "cancelled: " + reason);
            startWaiting();
            return;
        }
        Scheduler.JobState job = scheduler.job(jobId);
        if (job != null) job.runner.tell(new RunnerCommand.Cancel(reason));
    }

    /** A job that leaves the queue without running ends CANCELLED, in the journal too: it was accepted. */
    private void endQueued(AcceptedJob job, String reason) {
        if (job.submit().session() != null) sessions.jobEnded(job.submit().session(), job.jobId());
        limits.ended(job.client(), false);
        metrics.jobEnded("CANCELLED");
        getContext().getLog().info("job {} left the queue: {}", job.jobId(), reason);
        for (ActorRef<JobEvent> listener : listenersOf(job)) {
            listener.tell(new JobEvent.Cancelled(job.jobId(), reason, null));
        }
        clientLeft.remove(job.jobId());
        JobDetail detail = new JobDetail(job.jobId(), job.workload(), "CANCELLED", 0, job.job().chunks(), reason, null,
            null).withTimes(job.firstAcceptedMillis(), 0, AcceptedJob.clientName(job.submit().session(),
                job.submit().replyTo()));
        finished.add(detail);
        recordEnd(detail);
    }

    private static long runMillis(Scheduler.JobState job) {
        return (System.nanoTime() - job.startedNanos) / 1_000_000;
    }

    private static JobDetail queuedDetail(AcceptedJob job, int position) {
        return JobDetail.queued(job.jobId(), job.workload(), job.job().chunks(), position)
            .withTimes(job.firstAcceptedMillis(), 0, AcceptedJob.clientName(job.submit().session(), job.submit().replyTo()));
    }

    /** A queued job's client (unless it closed) and followers. */
    private List<ActorRef<JobEvent>> listenersOf(AcceptedJob job) {
        if (!clientLeft.contains(job.jobId())) return job.listeners();
        return List.copyOf(job.followers());
    }

    /**
     * A client closed: the jobs its session owns are cancelled; the jobs it only followed, or submitted
     * detached, run on and stop sending it their events (it would be remoting into a closed port).
     */
    private Behavior<CoordinatorCommand> onClientClosed(ClientClosed closed) {
        Address at = closed.session().path().address();
        cancelJobs(sessions.closed(closed.session()), "its client (" + NodeAddress.of(at) + ") closed");
        // A client inside this node shares its address with the HTTP API's listeners: those stay.
        if (!at.hasGlobalScope()) return this;
        for (Scheduler.JobState job : scheduler.jobs()) job.runner.tell(new JobRunner.Unfollow(at));
        for (AcceptedJob job : queue.all()) {
            job.followers().removeIf(f -> f.path().address().equals(at));
            if (job.submit().replyTo().path().address().equals(at)) clientLeft.add(job.jobId());
        }
        for (AcceptedJob job : storing.values()) {
            job.followers().removeIf(f -> f.path().address().equals(at));
            if (job.submit().replyTo().path().address().equals(at)) clientLeft.add(job.jobId());
        }
        return this;
    }

    private Behavior<CoordinatorCommand> onJobProgress(ChunksDone progress) {
        Scheduler.JobState job = scheduler.job(progress.jobId());
        if (job != null) job.chunksDone = progress.chunksDone();
        return this;
    }

    private Behavior<CoordinatorCommand> onJobFinished(JobFinished done) {
        Scheduler.JobState job = done.jobId() == null ? null : scheduler.removeJob(done.jobId());
        // Only a running job's runner says it finished; anything else was forged or garbled on the wire.
        if (job == null) return this;
        runningJobLeft(job);
        metrics.jobEnded(done.state());
        metrics.jobsRunning(scheduler.jobCount());
        startWaiting();
        announceContention();
        JobDetail detail = new JobDetail(done.jobId(), job.workload, done.state(), done.chunksDone(),
            done.chunksTotal(), done.outcome(), done.result(), done.report()).withTimes(job.acceptedAtMillis,
                runMillis(job), job.clientName);
        finished.add(detail);
        recordEnd(detail);
        // A grant still lent to the runner was never read by it (its answer would have come first).
        scheduler.reclaim(done.jobId()).forEach(this::pump);
        return this;
    }

    private Behavior<CoordinatorCommand> onRunnerStopped(RunnerStopped stopped) {
        Scheduler.JobState job = scheduler.removeJob(stopped.jobId());
        if (job == null) return this;  // it finished normally
        runningJobLeft(job);
        metrics.jobEnded("FAILED");
        metrics.jobsRunning(scheduler.jobCount());
        startWaiting();
        announceContention();
        String reason = "the job's runner on the head stopped unexpectedly (see the head's log)";
        getContext().getLog().error("job {}: {}", stopped.jobId(), reason);
        job.client.tell(new JobEvent.Failed(stopped.jobId(), reason, null));
        JobDetail detail = new JobDetail(stopped.jobId(), job.workload, "FAILED", job.chunksDone, job.chunks, reason, null,
            null).withTimes(job.acceptedAtMillis, runMillis(job), job.clientName);
        finished.add(detail);
        recordEnd(detail);
        scheduler.reclaim(stopped.jobId()).forEach(this::pump);
        return this;
    }

    /** Tells every runner whether it shares the slots with other jobs (only when that changes). */
    private void announceContention() {
        boolean shared = scheduler.jobCount() > 1;
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
        metrics.jobsQueued(0);
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
                endpoints.httpPort(), stuckThreads.getOrDefault(m.address(), 0), NodeLogFile.fromRoles(m.getRoles())));
        }
        List<ClusterStatus.Job> jobs = new ArrayList<>(finished.rows());
        for (Scheduler.JobState j : scheduler.jobs()) {
            jobs.add(new ClusterStatus.Job(j.jobId, j.workload, "RUNNING", j.chunksDone, j.chunks, 0, j.acceptedAtMillis,
                runMillis(j), j.clientName));
        }
        for (JobQueue.Place<AcceptedJob> q : queue.first(settings.queuedJobsListed())) {
            jobs.add(queuedDetail(q.job(), q.position()).row());
        }
        get.replyTo().tell(new ClusterStatus(members, jobs, queue.size()));
        return this;
    }

    private Behavior<CoordinatorCommand> onGetJob(GetJob get) {
        Scheduler.JobState running = scheduler.job(get.jobId());
        AcceptedJob queued = queue.get(get.jobId());
        Optional<JobDetail> job = running != null
            ? Optional.of(new JobDetail(running.jobId, running.workload, "RUNNING", running.chunksDone, running.chunks,
                null, null, null).withTimes(running.acceptedAtMillis, runMillis(running), running.clientName))
            : queued != null
            ? Optional.of(queuedDetail(queued, queue.position(queued.jobId())))
            : finished.find(get.jobId());
        boolean remote = get.replyTo().path().address().hasGlobalScope();
        get.replyTo().tell(new JobLookup(get.jobId(), remote ? job.map(FrameBudget::fit) : job));
        return this;
    }

    // ---- slots and credit

    private Behavior<CoordinatorCommand> onSlotReady(SlotReady ready) {
        if (scheduler.slot(ready.slot()) != null) return this;
        Address node = nodeOf(ready.slot());
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

    private Behavior<CoordinatorCommand> onStuckThreads(StuckThreads stuck) {
        Address node = nodeOf(stuck.slot());
        int before = stuckThreads.getOrDefault(node, 0);
        // Every slot of the node says so: the change is logged once. A node no longer a member is forgotten.
        if (stuck.threads() == before || stuck.threads() < 0 || capacityOf(node).isEmpty()) return this;
        if (stuck.threads() > 0) stuckThreads.put(node, stuck.threads());
        else stuckThreads.remove(node);
        if (stuck.threads() > before) {
            getContext().getLog().warn("worker {} has {} compute threads stuck in chunks that ignored their interrupt "
                + "(its log names them); it exits when they outnumber its cores", NodeAddress.of(node), stuck.threads());
        } else {
            getContext().getLog().info("worker {} has {} stuck compute threads now", NodeAddress.of(node), stuck.threads());
        }
        return this;
    }

    /** The node of a slot; a slot of this very node has a local address. */
    private Address nodeOf(ActorRef<SlotCommand> slot) {
        Address node = slot.path().address();
        return node.hasGlobalScope() ? node : cluster.selfMember().address();
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
            stuckThreads.remove(node);
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
        String why = "its client (" + NodeAddress.of(node) + ") left the cluster";
        for (Scheduler.JobState job : scheduler.jobs()) {
            if (node.equals(job.client.path().address())) job.runner.tell(new RunnerCommand.Cancel(why));
        }
        List<AcceptedJob> left = queue.removeIf(j -> node.equals(j.submit().replyTo().path().address()));
        for (AcceptedJob job : left) endQueued(job, "cancelled: " + why);
        if (!left.isEmpty()) startWaiting();
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
                job.runner.tell(new RunnerCommand.GiveUp("no live worker able to run it (requires " + job.requires
                    + ") for " + settings.noWorkerTimeout().toSeconds() + "s"));
            }
        }
        return this;
    }

    /**
     * Wakes every slot the workers' cores call for that has not registered; retires the excess.
     * A slot numbered beyond the cores is retired only once its node holds more slots than it has
     * cores: when a node is lost, the survivors keep running their slots while the lost node's
     * slots are started on them, and give up a surplus slot only when its replacement is there.
     */
    private void wakeSlots() {
        int desired = desiredSlots();
        Set<String> registered = scheduler.registeredSlotIds();
        for (int i = 0; i < desired; i++) {
            String id = WorkerSlots.slotId(i);
            if (!registered.contains(id)) {
                slotRegion.tell(new ShardingEnvelope<>(id, new SlotCommand.Wake(getContext().getSelf(), epoch)));
            }
        }
        Map<Address, Integer> slotsOnNode = new java.util.HashMap<>();
        for (Scheduler.SlotState s : scheduler.slots()) {
            if (!retiring.contains(s.slot.slotId())) slotsOnNode.merge(s.slot.node(), 1, Integer::sum);
        }
        for (Scheduler.SlotState s : scheduler.slots()) {
            if (WorkerSlots.slotNumber(s.slot.slotId()) < desired || retiring.contains(s.slot.slotId())) continue;
            int onNode = slotsOnNode.getOrDefault(s.slot.node(), 0);
            if (onNode > s.slot.capacity().cores() || desired == 0) {
                retiring.add(s.slot.slotId());
                slotsOnNode.put(s.slot.node(), onNode - 1);
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
