package org.pekkogrid.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.ActorIdentity;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.Identify;
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

    /**
     * Start a job, or watch one submitted elsewhere: the link spawns its watcher.
     *
     * @param spec       the job to submit; null when watching
     * @param detached   submit with no session (the job outlives this client) and stop following it once accepted
     * @param watchJobId the job to watch instead of submitting one; null when submitting
     */
    record StartJob(String submissionId, JobSpec spec, JobListener listener,
                    CompletableFuture<org.pekkogrid.protocol.JobEvent.Accepted> accepted,
                    CompletableFuture<JobResult> result, boolean detached, String watchJobId) implements Command {}

    record CancelJob(String submissionId, String reason) implements Command {}

    /** Say goodbye to the heads (they cancel this client's running jobs) and stop. */
    record Close() implements Command {}

    /** A head's answer to Identify: whether a client gateway lives at the address asked. */
    private record Identified(ActorIdentity identity) implements Command {}

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
    private final org.apache.pekko.actor.ActorRef identities;
    private final ArrayDeque<ClientRequest> pending = new ArrayDeque<>();
    private final Map<String, ActorRef<JobWatcher.Command>> watchers = new HashMap<>();
    private final boolean fixed;
    private ActorRef<ClientRequest> gateway;
    private String head;
    /** The head asked last while none answers, and when. */
    private String asking;
    private long askedNanos;
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
        this.identities = Adapter.toClassic(ctx.messageAdapter(ActorIdentity.class, Identified::new));
        this.fixed = localGateway != null;
        timers.startTimerWithFixedDelay(new Ping(), settings.pingInterval());
        timers.startSingleTimer(new ConnectTimedOut(), settings.connectTimeout());
        if (fixed) {
            connect("this node", localGateway);
            localGateway.tell(new Hello(welcomes));
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
            .onMessage(Identified.class, m -> {
                // Only a node with no gateway answers: a head's gateway answers with a Welcome too.
                if (gateway == null && m.identity().getActorRef().isEmpty() && m.identity().correlationId().equals(asking)) {
                    lastProblem = "a node answered at " + asking + " but it is not a head (a worker's address?)";
                    getContext().getLog().debug("{}", lastProblem);
                    tryNext();
                }
                return this;
            })
            .onMessage(ConnectTimedOut.class, m -> {
                connected.completeExceptionally(new GridUnavailableException("no grid head answered at "
                    + String.join(", ", heads) + " within " + settings.connectTimeout().toSeconds() + "s (" + lastProblem
                    + "); is `grid head` running there, and can it reach this machine back at "
                    + getContext().getSystem().address() + "?" + (getContext().getSystem().settings().config()
                        .getString("pekko.remote.artery.transport").equals("tls-tcp") ? ""
                        : " A grid started with --tls answers only clients with --tls NODEDIR (a client certificate).")));
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
        asking = heads.get(next++ % heads.size());
        askedNanos = System.nanoTime();
        // One round trip: the Welcome carries the gateway's ref; Identify only tells a node without
        // a gateway (a worker) from one that is slow or down.
        ActorSelection gatewayAt = Adapter.toClassic(getContext().getSystem())
            .actorSelection(ClientRequest.gatewayPath(systemName, asking));
        gatewayAt.tell(new Hello(welcomes), org.apache.pekko.actor.ActorRef.noSender());
        gatewayAt.tell(new Identify(asking), identities);
    }

    private void connect(String at, ActorRef<ClientRequest> found) {
        boolean reconnected = lastHeardNanos != 0;
        gateway = found;
        head = at;
        asking = null;
        triedThisRound = 0;
        lastHeardNanos = System.nanoTime();
        while (!pending.isEmpty()) gateway.tell(pending.removeFirst());
        if (reconnected) getContext().getLog().info("requests go to the head at {} now", at);
        // After a head fell silent each job sends its submit again, or asks for its events, through
        // the new one: what was in flight to the silent head may be lost. The coordinator runs a
        // submit once however often it comes.
        for (ActorRef<JobWatcher.Command> w : watchers.values()) w.tell(new JobWatcher.HeadChanged(gateway, reconnected));
    }

    private Behavior<Command> onWelcome(Welcomed welcomed) {
        Welcome welcome = welcomed.welcome();
        if (gateway == null) {
            connect(welcome.head(), welcome.gateway());
        } else if (gateway.equals(welcome.gateway())) {
            lastHeardNanos = System.nanoTime();
        }
        LinkedHashSet<String> known = new LinkedHashSet<>(heads);
        known.addAll(welcome.heads());
        heads.clear();
        heads.addAll(known);
        connected.complete(welcomed.welcome());
        return this;
    }

    private Behavior<Command> onPing() {
        long now = System.nanoTime();
        if (gateway == null) {
            if (asking != null && now - askedNanos > settings.headTimeout().toNanos()) {
                lastProblem = "no answer from " + asking + " within " + settings.headTimeout().toMillis() + " ms";
                getContext().getLog().debug("{}", lastProblem);
                tryNext();
            }
            return this;
        }
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
