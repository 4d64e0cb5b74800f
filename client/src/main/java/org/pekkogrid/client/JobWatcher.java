package org.pekkogrid.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pekkogrid.protocol.JobReport;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.protocol.RunnerCommand;

/**
 * The client side of one job: submits it, follows its events, and completes the handle's
 * futures. Once the job has run a second it watches the job's runner on the head, so a head
 * that dies with the job fails the job here instead of leaving the client waiting. (Watching at
 * once would cost a short job seven more messages: the watch, its acknowledgement, and the
 * death notice with the flush of every lane that Artery sends ahead of it.)
 */
final class JobWatcher extends AbstractBehavior<JobWatcher.Command> {

    sealed interface Command {}

    private record Event(JobEvent event) implements Command {}

    private record RunnerGone() implements Command {}

    private record SubmitTimedOut() implements Command {}

    private record WatchRunner() implements Command {}

    /** A watch set after the runner is gone still fires: Pekko answers it with Terminated. */
    private static final Duration WATCH_AFTER = Duration.ofSeconds(1);

    private static final String CLIENT_STOPPED =
        "this client stopped before the job ended: it was closed, or it lost the cluster (no head reachable)";

    record Cancel(String reason) implements Command {}

    static Behavior<Command> create(ActorRef<CoordinatorCommand> coordinator, JobSpec spec, Duration submitTimeout,
                                    JobListener listener, CompletableFuture<String> accepted,
                                    CompletableFuture<JobResult> result) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startSingleTimer(new SubmitTimedOut(), submitTimeout);
            return new JobWatcher(ctx, timers, coordinator, spec, submitTimeout, listener, accepted, result);
        }));
    }

    private final TimerScheduler<Command> timers;
    private final JobSpec spec;
    private final Duration submitTimeout;
    private final JobListener listener;
    private final CompletableFuture<String> accepted;
    private final CompletableFuture<JobResult> result;
    private final long submittedNanos = System.nanoTime();
    private String jobId;
    private ActorRef<RunnerCommand> runner;
    private String pendingCancel;
    private final List<JobReport.ChunkRow> rows = new ArrayList<>();
    private final List<JobReport.QueuePoint> queue = new ArrayList<>();
    private final List<JobReport.NodeSample> samples = new ArrayList<>();
    private boolean seriesInParts;

    private JobWatcher(ActorContext<Command> ctx, TimerScheduler<Command> timers,
                       ActorRef<CoordinatorCommand> coordinator, JobSpec spec, Duration submitTimeout, JobListener listener,
                       CompletableFuture<String> accepted, CompletableFuture<JobResult> result) {
        super(ctx);
        this.timers = timers;
        this.spec = spec;
        this.submitTimeout = submitTimeout;
        this.listener = listener;
        this.accepted = accepted;
        this.result = result;
        coordinator.tell(new CoordinatorCommand.SubmitJob(spec, ctx.messageAdapter(JobEvent.class, Event::new)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Event.class, e -> onEvent(e.event()))
            .onMessage(RunnerGone.class, m -> end(JobResult.Status.FAILED, null, null,
                clientLeaving() ? CLIENT_STOPPED : "the head node lost this job (its coordinator stopped or moved)", null))
            .onMessage(SubmitTimedOut.class, m -> jobId != null ? this : end(JobResult.Status.FAILED, null, null,
                "no answer from the head within " + submitTimeout.toSeconds() + "s", null))
            .onMessage(Cancel.class, this::onCancel)
            .onMessage(WatchRunner.class, m -> {
                getContext().watchWith(runner, new RunnerGone());
                return this;
            })
            .onSignal(PostStop.class, s -> {
                // Stopped with the job still running: the client was closed, or its node left the
                // cluster (downed when no head was reachable). Never leave the caller waiting.
                if (!result.isDone()) end(JobResult.Status.FAILED, null, null, CLIENT_STOPPED, null);
                return this;
            })
            .build();
    }

    private Behavior<Command> onEvent(JobEvent event) {
        if (event instanceof JobEvent.Accepted a) {
            jobId = a.jobId();
            runner = a.runner();
            timers.startSingleTimer(new WatchRunner(), WATCH_AFTER);
            accepted.complete(jobId);
            if (pendingCancel != null) runner.tell(new RunnerCommand.Cancel(pendingCancel));
            return this;
        }
        if (event instanceof JobEvent.Rejected r) {
            jobId = r.jobId();
            accepted.completeExceptionally(new IllegalArgumentException(r.reason()));
            return end(JobResult.Status.REJECTED, null, null, r.reason(), null);
        }
        if (event instanceof JobEvent.Progress p) {
            try {
                listener.onProgress(p);
            } catch (RuntimeException e) {
                getContext().getLog().warn("progress callback failed: {}", e.toString());
            }
            return this;
        }
        if (event instanceof JobEvent.ReportPart part) {
            seriesInParts = true;
            rows.addAll(part.chunkRows());
            queue.addAll(part.queue());
            samples.addAll(part.samples());
            return this;
        }
        if (event instanceof JobEvent.Timings t) {
            try {
                listener.onTimings(t.rows());
            } catch (RuntimeException e) {
                getContext().getLog().warn("timings callback failed: {}", e.toString());
            }
            return this;
        }
        if (event instanceof JobEvent.Completed c) {
            return end(JobResult.Status.COMPLETED, c.result(), c.summary(), null, c.report());
        }
        JobEvent.Failed f = (JobEvent.Failed) event;
        return end(JobResult.Status.FAILED, null, null, f.reason(), f.report());
    }

    private Behavior<Command> onCancel(Cancel cancel) {
        if (runner != null) runner.tell(new RunnerCommand.Cancel(cancel.reason()));
        else pendingCancel = cancel.reason();
        return this;
    }

    /** Whether this client's own node is leaving: then every watched runner seems gone, and it is not the head's doing. */
    private boolean clientLeaving() {
        MemberStatus status = Cluster.get(getContext().getSystem()).selfMember().status();
        return !(status.equals(MemberStatus.up()) || status.equals(MemberStatus.weaklyUp()));
    }

    private Behavior<Command> end(JobResult.Status status, com.fasterxml.jackson.databind.JsonNode answer,
                                  String summary, String error, org.pekkogrid.protocol.JobReport report) {
        if (!accepted.isDone()) accepted.completeExceptionally(new IllegalStateException(error));
        if (report != null && seriesInParts) {
            report = report.withSeries(List.copyOf(rows), List.copyOf(queue), List.copyOf(samples));
        }
        result.complete(new JobResult(jobId, spec.workload(), status, answer, summary, error, report,
            System.nanoTime() - submittedNanos));
        return Behaviors.stopped();
    }
}
