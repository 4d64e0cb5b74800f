package org.pekkogrid.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.pekkogrid.protocol.ClientRequest;
import org.pekkogrid.protocol.ClientRequest.Hello;
import org.pekkogrid.protocol.ClientRequest.Welcome;
import org.pekkogrid.protocol.CoordinatorCommand.ClientAlive;
import org.pekkogrid.protocol.CoordinatorCommand.ClientClosed;
import org.pekkogrid.protocol.JobSpec;

/**
 * A client's link to the grid's heads. A client is not a cluster member: the link finds the
 * client gateway of one head over remoting, passes requests to it, asks it every ping interval
 * whether it is still there, and when it falls silent moves on to the next head it knows (its
 * seeds, and every head a gateway named). It starts a {@link JobWatcher} per job and tells it when
 * requests go to a new head, so the job's submit or its events follow there; while jobs run it
 * tells the heads this client is alive, so that they cancel the jobs of a client that died.
 *
 * <p>Heads and clients never watch each other with Pekko's remote death watch: its failure
 * detector quarantines a non-member for good after a long pause, and the client could never
 * talk to that head again.
 */
final class HeadLink extends AbstractBehavior<HeadLink.Command> {

    sealed interface Command {}

    /** Pass this request to a head: the current one, or the next that answers. */
    record Send(ClientRequest request) implements Command {}

    /** Start a job: the link spawns its watcher. */
    record StartJob(String submissionId, JobSpec spec, JobListener listener, CompletableFuture<String> accepted,
                    CompletableFuture<JobResult> result) implements Command {}

    record CancelJob(String submissionId, String reason) implements Command {}

    /** Say goodbye to the heads (they cancel this client's running jobs) and stop. */
    record Close() implements Command {}

    private record Resolved(String head, ActorRef<ClientRequest> gateway) implements Command {}

    private record Unresolved(String head, Throwable cause) implements Command {}

    private record Welcomed(Welcome welcome) implements Command {}

    private record Ping() implements Command {}

    private record TryNext() implements Command {}

    private record WatcherStopped(String submissionId) implements Command {}

    private record ConnectTimedOut() implements Command {}

    /** Requests kept while no head answers; beyond this the oldest are dropped (their senders retry). */
    private static final int MAX_PENDING = 10_000;

    /**
     * A link to the heads at these seeds ({@code host:port}).
     *
     * @param connected completes with the first head's welcome
     */
    static Behavior<Command> remote(String systemName, List<String> seeds, ClientSettings settings,
                                    CompletableFuture<Welcome> connected) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
            new HeadLink(ctx, timers, systemName, seeds, null, settings, connected)));
    }

    /** A link to a gateway in this actor system (a client inside a cluster member). */
    static Behavior<Command> local(ActorRef<ClientRequest> gateway, ClientSettings settings,
                                   CompletableFuture<Welcome> connected) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
            new HeadLink(ctx, timers, null, List.of(), gateway, settings, connected)));
    }

    private final TimerScheduler<Command> timers;
    private final String systemName;
    private final List<String> heads = new ArrayList<>();
    private final ClientSettings settings;
    private final CompletableFuture<Welcome> connected;
    private final ActorRef<Void> session;
    private final ActorRef<Welcome> welcomes;
    private final ArrayDeque<ClientRequest> pending = new ArrayDeque<>();
    private final Map<String, ActorRef<JobWatcher.Command>> watchers = new HashMap<>();
    private final boolean fixed;
    private ActorRef<ClientRequest> gateway;
    private String head;
    private int next;
    private int triedThisRound;
    private long lastHeardNanos;
    private long lastAliveNanos;
    /** Why the last head tried did not answer, for the error when none does. */
    private String lastProblem = "no answer";

    private HeadLink(ActorContext<Command> ctx, TimerScheduler<Command> timers, String systemName, List<String> seeds,
                     ActorRef<ClientRequest> localGateway, ClientSettings settings, CompletableFuture<Welcome> connected) {
        super(ctx);
        this.timers = timers;
        this.systemName = systemName;
        this.heads.addAll(seeds);
        this.settings = settings;
        this.connected = connected;
        this.session = ctx.spawn(Behaviors.<Void>empty(), "session");
        this.welcomes = ctx.messageAdapter(Welcome.class, Welcomed::new);
        this.fixed = localGateway != null;
        timers.startTimerWithFixedDelay(new Ping(), settings.pingInterval());
        timers.startSingleTimer(new ConnectTimedOut(), settings.connectTimeout());
        if (fixed) {
            connect("this node", localGateway);
        } else {
            tryNext();
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Send.class, m -> {
                send(m.request());
                return this;
            })
            .onMessage(StartJob.class, this::onStartJob)
            .onMessage(CancelJob.class, m -> {
                ActorRef<JobWatcher.Command> watcher = watchers.get(m.submissionId());
                if (watcher != null) watcher.tell(new JobWatcher.Cancel(m.reason()));
                return this;
            })
            .onMessage(WatcherStopped.class, m -> {
                watchers.remove(m.submissionId());
                return this;
            })
            .onMessage(Resolved.class, m -> {
                if (gateway == null && m.head().equals(head)) connect(m.head(), m.gateway());
                return this;
            })
            .onMessage(Unresolved.class, m -> {
                if (gateway == null && m.head().equals(head)) {
                    lastProblem = m.cause() instanceof org.apache.pekko.actor.ActorNotFound
                        ? "a node answered at " + m.head() + " but it is not a head (a worker's address?)"
                        : "no answer from " + m.head() + " within " + settings.headTimeout().toMillis() + " ms";
                    getContext().getLog().debug("{}", lastProblem);
                    tryNext();
                }
                return this;
            })
            .onMessage(ConnectTimedOut.class, m -> {
                connected.completeExceptionally(new GridUnavailableException("no grid head answered at "
                    + String.join(", ", heads) + " within " + settings.connectTimeout().toSeconds() + "s (" + lastProblem
                    + "); is `grid head` running there, and can it reach this machine back at "
                    + getContext().getSystem().address() + "?"));
                return this;
            })
            .onMessage(Welcomed.class, this::onWelcome)
            .onMessage(Ping.class, m -> onPing())
            .onMessage(TryNext.class, m -> {
                if (gateway == null) tryNext();
                return this;
            })
            .onMessage(Close.class, m -> {
                if (gateway != null) gateway.tell(new ClientClosed(session));
                return Behaviors.stopped();
            })
            .onSignal(PostStop.class, s -> {
                connected.completeExceptionally(new GridUnavailableException("the client was closed"));
                return this;
            })
            .build();
    }

    private Behavior<Command> onStartJob(StartJob start) {
        ActorRef<JobWatcher.Command> watcher = getContext().spawn(
            JobWatcher.create(getContext().getSelf(), gateway, session, start, settings),
            "job-" + start.submissionId());
        watchers.put(start.submissionId(), watcher);
        getContext().watchWith(watcher, new WatcherStopped(start.submissionId()));
        return this;
    }

    private void send(ClientRequest request) {
        if (gateway != null) {
            gateway.tell(request);
            return;
        }
        if (pending.size() >= MAX_PENDING) pending.removeFirst();
        pending.addLast(request);
    }

    // ---- finding a head

    private void tryNext() {
        if (triedThisRound >= heads.size()) {
            // Every head known was tried: pause before the next round, so a grid that is down costs nothing.
            triedThisRound = 0;
            timers.startSingleTimer(new TryNext(), settings.retryPause());
            return;
        }
        triedThisRound++;
        head = heads.get(next++ % heads.size());
        String path = ClientRequest.gatewayPath(systemName, head);
        Duration timeout = settings.headTimeout();
        String asked = head;
        getContext().pipeToSelf(
            Adapter.toClassic(getContext().getSystem()).actorSelection(path).resolveOne(timeout),
            (ref, failure) -> failure == null
                ? new Resolved(asked, Adapter.<ClientRequest>toTyped(ref))
                : new Unresolved(asked, failure));
    }

    private void connect(String at, ActorRef<ClientRequest> found) {
        boolean reconnected = lastHeardNanos != 0;
        gateway = found;
        head = at;
        triedThisRound = 0;
        lastHeardNanos = System.nanoTime();
        gateway.tell(new Hello(welcomes));
        while (!pending.isEmpty()) gateway.tell(pending.removeFirst());
        if (reconnected) getContext().getLog().info("requests go to the head at {} now", at);
        // After a head fell silent each job sends its submit again, or asks for its events, through
        // the new one: what was in flight to the silent head may be lost. The coordinator runs a
        // submit once however often it comes.
        for (ActorRef<JobWatcher.Command> w : watchers.values()) w.tell(new JobWatcher.HeadChanged(gateway, reconnected));
    }

    private Behavior<Command> onWelcome(Welcomed welcomed) {
        lastHeardNanos = System.nanoTime();
        LinkedHashSet<String> known = new LinkedHashSet<>(heads);
        known.addAll(welcomed.welcome().heads());
        heads.clear();
        heads.addAll(known);
        connected.complete(welcomed.welcome());
        return this;
    }

    private Behavior<Command> onPing() {
        if (gateway == null) return this;
        long now = System.nanoTime();
        if (!fixed && now - lastHeardNanos > settings.headTimeout().toNanos()) {
            getContext().getLog().warn("the head at {} has not answered for {} ms; trying the next head", head,
                (now - lastHeardNanos) / 1_000_000);
            gateway = null;
            tryNext();
            return this;
        }
        gateway.tell(new Hello(welcomes));
        if (!watchers.isEmpty() && now - lastAliveNanos >= settings.keepAliveInterval().toNanos()) {
            lastAliveNanos = now;
            gateway.tell(new ClientAlive(session));
        }
        return this;
    }
}
