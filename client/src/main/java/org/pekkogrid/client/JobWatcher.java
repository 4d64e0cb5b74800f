package org.pekkogrid.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.pekkogrid.protocol.ClientRequest;
import org.pekkogrid.protocol.CoordinatorCommand.CancelJob;
import org.pekkogrid.protocol.CoordinatorCommand.FollowJob;
import org.pekkogrid.protocol.CoordinatorCommand.SubmitJob;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.ReportParts;

/**
 * The client side of one job: submits it (or, watching a job submitted elsewhere, asks for its
 * events), follows its events, and completes the handle's futures. A detached submit stops once the
 * head accepted the job, which then runs on without it. It never waits on one head: a submit that gets no answer is sent again (with the same
 * submission id, so the coordinator starts the job once), and a running job that falls silent is
 * asked about, through whichever head the client reaches now. A job no head answers about for
 * {@code lost-after} fails with that reason, so the result future never hangs.
 */
final class JobWatcher extends AbstractBehavior<JobWatcher.Command> {

    sealed interface Command {}

    /** From the link: requests go to this gateway now; after a head fell silent, resend or follow. */
    record HeadChanged(ActorRef<ClientRequest> gateway, boolean afterSilence) implements Command {}

    record Cancel(String reason) implements Command {}

    private record Event(JobEvent event) implements Command {}

    private record Check() implements Command {}

    private static final Duration CHECK_EVERY = Duration.ofMillis(500);

    private static final String CLIENT_STOPPED = "this client stopped before the job ended: it was closed";

    static Behavior<Command> create(ActorRef<HeadLink.Command> link, ActorRef<ClientRequest> gateway,
                                    ActorRef<Void> session, HeadLink.StartJob start, ClientSettings settings) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new Check(), CHECK_EVERY);
            return new JobWatcher(ctx, link, gateway, session, start, settings);
        }));
    }

    private final ActorRef<HeadLink.Command> link;
    private final HeadLink.StartJob start;
    private final ClientSettings settings;
    private final ActorRef<JobEvent> events;
    /** Null when watching a job submitted elsewhere. */
    private final SubmitJob submit;
    private String workload;
    /** Whether the head has said anything about the job: a watched job it never heard of is bad input. */
    private boolean known;
    private final long submittedNanos = System.nanoTime();
    private final ReportParts reportParts = new ReportParts();
    private ActorRef<ClientRequest> gateway;
    private String jobId;
    private String pendingCancel;
    private long lastSentNanos = System.nanoTime();
    private long lastHeardNanos = System.nanoTime();

    private JobWatcher(ActorContext<Command> ctx, ActorRef<HeadLink.Command> link, ActorRef<ClientRequest> gateway,
                       ActorRef<Void> session, HeadLink.StartJob start, ClientSettings settings) {
        super(ctx);
        this.link = link;
        this.gateway = gateway;
        this.start = start;
        this.settings = settings;
        this.events = ctx.messageAdapter(JobEvent.class, Event::new);
        if (start.watchJobId() != null) {
            this.submit = null;
            this.jobId = start.watchJobId();
            send(new FollowJob(jobId, events));
        } else {
            this.workload = start.spec().workload();
            // A detached job has no session: the head does not cancel it when this client leaves.
            this.submit = new SubmitJob(start.spec(), events, start.submissionId(), start.detached() ? null : session,
                proof(ctx, start.spec().jar()));
            send(submit);
        }
    }

    /**
     * For a job that ships a jar on a grid with --tls, the client's grant to ship code; null otherwise,
     * or when the key cannot be read (the head then refuses the job, saying it lacks a proof).
     */
    private static org.pekkogrid.protocol.ShipCodeProof proof(ActorContext<Command> ctx, String jar) {
        ShipCodeSigner signer = jar == null ? null : ShipCodeSigner.of(ctx.getSystem().settings().config());
        if (signer == null) return null;
        try {
            return signer.sign(jar);
        } catch (IllegalArgumentException e) {
            ctx.getLog().warn("{}", e.getMessage());
            return null;
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Event.class, e -> onEvent(e.event()))
            .onMessage(Check.class, m -> onCheck())
            .onMessage(HeadChanged.class, this::onHeadChanged)
            .onMessage(Cancel.class, this::onCancel)
            .onSignal(PostStop.class, s -> {
                if (!start.result().isDone()) end(JobResult.Status.FAILED, null, null, CLIENT_STOPPED, null);
                return this;
            })
            .build();
    }

    private void send(ClientRequest request) {
        lastSentNanos = System.nanoTime();
        if (gateway != null) {
            gateway.tell(request);
        } else {
            link.tell(new HeadLink.Send(request));
        }
    }

    private Behavior<Command> onHeadChanged(HeadChanged changed) {
        gateway = changed.gateway();
        if (changed.afterSilence()) send(jobId == null ? submit : new FollowJob(jobId, events));
        return this;
    }

    private Behavior<Command> onCheck() {
        long now = System.nanoTime();
        if (jobId == null) {
            if (now - submittedNanos > settings.submitTimeout().toNanos()) {
                return end(JobResult.Status.FAILED, null, null, "no head accepted or rejected the job within "
                    + settings.submitTimeout().toSeconds() + "s", null);
            }
            if (now - lastSentNanos > settings.resubmitAfter().toNanos()) send(submit);
            return this;
        }
        if (now - lastHeardNanos > settings.lostAfter().toNanos()) {
            return end(JobResult.Status.FAILED, null, null, "the head node lost this job: no head has answered about it "
                + "for " + settings.lostAfter().toSeconds() + "s (the head that ran it died, and no other head took "
                + "over its coordinator)", null);
        }
        boolean silent = now - lastHeardNanos > settings.followAfterSilence().toNanos();
        if (silent && now - lastSentNanos > settings.followAfterSilence().toNanos()) send(new FollowJob(jobId, events));
        return this;
    }

    private Behavior<Command> onEvent(JobEvent event) {
        lastHeardNanos = System.nanoTime();
        boolean heardBefore = known;
        known = true;
        if (event instanceof JobEvent.Accepted a) {
            workload = a.workload();
            if (jobId == null) jobId = a.jobId();
            if (!start.accepted().isDone()) {
                start.accepted().complete(a);
                if (start.detached()) return Behaviors.stopped();
                if (pendingCancel != null) cancel(pendingCancel);
            }
            return this;
        }
        if (event instanceof JobEvent.Queued q) {
            try {
                start.listener().onQueued(q);
            } catch (RuntimeException e) {
                getContext().getLog().warn("queued callback failed: {}", e.toString());
            }
            return this;
        }
        if (event instanceof JobEvent.Rejected r) {
            jobId = r.jobId();
            start.accepted().completeExceptionally(new IllegalArgumentException(r.reason()));
            return end(JobResult.Status.REJECTED, null, null, r.reason(), null);
        }
        if (event instanceof JobEvent.Progress p) {
            try {
                start.listener().onProgress(p);
            } catch (RuntimeException e) {
                getContext().getLog().warn("progress callback failed: {}", e.toString());
            }
            return this;
        }
        if (event instanceof JobEvent.ReportPart part) {
            reportParts.add(part);
            return this;
        }
        if (event instanceof JobEvent.Timings t) {
            try {
                start.listener().onTimings(t.rows());
            } catch (RuntimeException e) {
                getContext().getLog().warn("timings callback failed: {}", e.toString());
            }
            return this;
        }
        if (event instanceof JobEvent.Completed c) {
            return end(JobResult.Status.COMPLETED, c.result(), c.summary(), null, c.report());
        }
        if (event instanceof JobEvent.NotFound n) {
            // Watching an id the head never heard of is bad input; a job it forgot while followed was lost.
            if (submit == null && !heardBefore) return end(JobResult.Status.REJECTED, null, null, n.reason(), null);
            return end(JobResult.Status.FAILED, null, null, "the head node lost this job: " + n.reason(), null);
        }
        if (event instanceof JobEvent.Cancelled c) {
            return end(JobResult.Status.CANCELLED, null, null, c.reason(), c.report());
        }
        JobEvent.Failed f = (JobEvent.Failed) event;
        return end(JobResult.Status.FAILED, null, null, f.reason(), f.report());
    }

    private Behavior<Command> onCancel(Cancel cancel) {
        if (jobId == null) pendingCancel = cancel.reason();
        else cancel(cancel.reason());
        return this;
    }

    /** Through the coordinator, which cancels only for the client that submitted the job: this one's session. */
    private void cancel(String reason) {
        send(new CancelJob(jobId, reason, submit == null ? null : submit.session(), null));
    }

    private Behavior<Command> end(JobResult.Status status, JsonNode answer, String summary, String error,
                                  JobReport report) {
        if (!start.accepted().isDone()) start.accepted().completeExceptionally(new IllegalStateException(error));
        JobReport whole = reportParts.complete(report);
        String name = workload != null ? workload : whole != null ? whole.workload() : null;
        start.result().complete(new JobResult(jobId, name, status, answer, summary, error, whole,
            System.nanoTime() - submittedNanos));
        return Behaviors.stopped();
    }
}
