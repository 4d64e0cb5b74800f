package org.pekkogrid.client;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.pekkogrid.protocol.ClientGateway;
import org.pekkogrid.protocol.ClientRequest;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.CoordinatorCommand.GetJob;
import org.pekkogrid.protocol.CoordinatorCommand.GetStatus;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobLookup;
import org.pekkogrid.protocol.JobSpec;

/**
 * Submits jobs to a pekko-grid cluster from your own program.
 *
 * <pre>{@code
 * try (GridClient grid = GridClient.connect("10.0.0.5:2551")) {
 *     JobResult r = grid.run(JobSpec.of("leibniz-pi").param("terms", 2_000_000_000L).withChunks(256));
 *     System.out.println(r.result() + " in " + r.report().makespanMillis() + " ms");
 * }
 * }</pre>
 *
 * A connected client is not a cluster member: it talks to the heads' client gateways over
 * remoting, moves to another head when its head stops answering, and takes its jobs along (see
 * {@link HeadLink}). The heads send a job's events to the client's own address, so a client on
 * another machine than its heads must be reachable from them (it advertises the address that
 * routes to its first seed; {@code grid.host} says otherwise). Besides jobs it reaches the
 * grid's counters: {@code grid.counter("page-views").increment(1)}.
 */
public final class GridClient implements AutoCloseable {

    private final ActorSystem<?> system;
    private final ActorRef<HeadLink.Command> link;
    private final Runnable onClose;
    private final RequestIds submissionIds = new RequestIds();

    private GridClient(ActorSystem<?> system, ActorRef<HeadLink.Command> link, Runnable onClose) {
        this.system = system;
        this.link = link;
        this.onClose = onClose;
    }

    /** Connects to the grid whose heads are at these seeds ({@code host:port}); waits until a head answers. */
    public static GridClient connect(String... seeds) {
        Config config = ConfigFactory.parseMap(java.util.Map.of("grid.seeds", Arrays.asList(seeds)))
            .withFallback(GridConfig.defaults());
        return connect(config);
    }

    /** Connects to the grid whose heads {@code grid.seeds} in this config names; waits until a head answers. */
    public static GridClient connect(Config config) {
        List<String> seeds = config.getStringList("grid.seeds");
        if (seeds.isEmpty()) throw new IllegalArgumentException("no seed given: say where the grid is (--seed host:port)");
        for (String seed : seeds) GridConfig.seedAddress("grid", seed);  // says which seed is malformed
        Config clientConfig = GridConfig.forClient(ClientAddress.reachableFrom(seeds, config));
        ClientSettings settings = ClientSettings.from(clientConfig);
        CompletableFuture<ClientRequest.Welcome> connected = new CompletableFuture<>();
        ActorSystem<HeadLink.Command> system = ActorSystem.create(
            HeadLink.remote(config.getString("grid.system-name"), seeds, settings, connected),
            GridConfig.clientSystemName(config), clientConfig);
        try {
            connected.get(settings.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            terminate(system);
            if (e.getCause() instanceof GridUnavailableException unavailable) throw unavailable;
            throw new GridUnavailableException("could not connect to " + String.join(", ", seeds) + ": " + e.getCause());
        } catch (TimeoutException e) {
            terminate(system);
            throw new GridUnavailableException("no grid head answered at " + String.join(", ", seeds) + " within "
                + settings.connectTimeout().toSeconds() + "s");
        } catch (InterruptedException e) {
            terminate(system);
            Thread.currentThread().interrupt();
            throw new GridUnavailableException("interrupted while connecting to " + String.join(", ", seeds));
        }
        return new GridClient(system, system, () -> {
            system.tell(new HeadLink.Close());
            awaitTermination(system);
        });
    }

    /**
     * A client inside a node you already run (a head, say), which reaches the coordinator through
     * {@code coordinator}, its proxy on that node. Closing it leaves that node alone.
     */
    public static GridClient attach(ActorSystem<?> system, ActorRef<CoordinatorCommand> coordinator) {
        return attach(system, coordinator, () -> { });
    }

    /** For an embedded grid: closing the client runs {@code onClose}. */
    public static GridClient attach(ActorSystem<?> system, ActorRef<CoordinatorCommand> coordinator, Runnable onClose) {
        long n = ATTACHED.incrementAndGet();
        ActorRef<ClientRequest> gateway = system.systemActorOf(ClientGateway.create(coordinator),
            "grid-client-gateway-" + n, Props.empty());
        ClientSettings settings = ClientSettings.from(system.settings().config());
        ActorRef<HeadLink.Command> link = system.systemActorOf(
            HeadLink.local(gateway, settings, new CompletableFuture<>()), "grid-client-" + n, Props.empty());
        return new GridClient(system, link, () -> {
            link.tell(new HeadLink.Close());
            onClose.run();
        });
    }

    private static final AtomicLong ATTACHED = new AtomicLong();

    /**
     * Starts an embedded grid in this JVM (a head and {@code workerNodes} worker nodes) and
     * returns a client of it; closing the client stops the grid. Needs pekko-grid's deploy
     * module (grid.jar) on the classpath.
     */
    public static GridClient local(int workerNodes, int coresPerNode) {
        LocalGridProvider provider = ServiceLoader.load(LocalGridProvider.class).findFirst()
            .orElseThrow(() -> new IllegalStateException(
                "local mode needs pekko-grid's deploy module (grid.jar) on the classpath"));
        return provider.start(workerNodes, coresPerNode).client();
    }

    public JobHandle submit(JobSpec spec) {
        return submit(spec, new JobListener() { });
    }

    /** Submits a job; {@code onProgress} runs on the client's actor thread, so keep it short. */
    public JobHandle submit(JobSpec spec, Consumer<JobEvent.Progress> onProgress) {
        return submit(spec, JobListener.progress(onProgress));
    }

    /** Submits a job; the listener hears its progress (and timings, if the spec asks for them). */
    public JobHandle submit(JobSpec spec, JobListener listener) {
        return start(spec, listener, false, null);
    }

    /**
     * Submits a job of a workload from {@code jar}, a jar built against grid-api: the jar goes to the
     * head first (nothing is sent when the head has this jar already, by its SHA-256), then the job,
     * which the head accepts only when the jar opens, holds the workload {@code spec.workload()}
     * names, and the parameters bind. Workers fetch the jar from the head when they first run one of
     * the job's chunks. The handle's result is REJECTED, saying why, when any of this fails.
     */
    public JobHandle submit(JobSpec spec, java.nio.file.Path jar, JobListener listener) {
        JarSent sent;
        try {
            sent = sendJar(jar).toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String reason = cause instanceof IllegalArgumentException ? cause.getMessage()
                : "the workload jar did not reach the head: " + cause;
            return JobHandle.rejected(spec.workload(), reason);
        }
        return submit(spec.withJar(sent.sha256()), listener);
    }

    /** {@link #submit(JobSpec, java.nio.file.Path, JobListener)} with no listener. */
    public JobHandle submit(JobSpec spec, java.nio.file.Path jar) {
        return submit(spec, jar, new JobListener() { });
    }

    /**
     * What {@link #sendJar} sent: {@code bytesSent} is 0 when the head had the jar already.
     *
     * @param sha256 the jar's name on the grid, as {@link JobSpec#withJar} takes it
     */
    public record JarSent(String sha256, long sizeBytes, long bytesSent) {}

    /**
     * Sends a workload jar to the head, unless it has it already; then {@code spec.withJar(sha256)}
     * runs a workload of it. Fails with an {@link IllegalArgumentException} when the file cannot be
     * read or the head takes no such jar.
     */
    public CompletionStage<JarSent> sendJar(java.nio.file.Path jar) {
        return JarUpload.send(system, link, jar);
    }

    /**
     * Submits a job that outlives this client: the head does not cancel it when the client closes or
     * dies, and anyone may cancel it ({@link #cancel}, {@code grid cancel}, {@code DELETE /v1/jobs/{id}}).
     * Completes once the head accepted it (its runner is null while it waits in the queue); fails with an
     * {@link IllegalArgumentException} saying why when it is rejected.
     */
    public CompletionStage<JobEvent.Accepted> submitDetached(JobSpec spec) {
        CompletableFuture<JobEvent.Accepted> accepted = new CompletableFuture<>();
        link.tell(new HeadLink.StartJob(submissionIds.next(), spec, new JobListener() { }, accepted,
            new CompletableFuture<>(), true, null));
        return accepted;
    }

    /**
     * Follows a job submitted elsewhere (by another client, detached, or over HTTP): its progress,
     * then its end, as for a job of this client; a job that already ended gives its end at once. A
     * job the head does not know ends REJECTED saying so. Cancelling the handle asks as a client
     * with no session: it cancels detached and HTTP jobs only.
     */
    public JobHandle watch(String jobId, JobListener listener) {
        return start(null, listener, false, java.util.Objects.requireNonNull(jobId, "jobId"));
    }

    private JobHandle start(JobSpec spec, JobListener listener, boolean detached, String watchJobId) {
        CompletableFuture<JobEvent.Accepted> accepted = new CompletableFuture<>();
        CompletableFuture<JobResult> result = new CompletableFuture<>();
        String submissionId = submissionIds.next();
        link.tell(new HeadLink.StartJob(submissionId, spec, listener, accepted, result, detached, watchJobId));
        return new JobHandle(accepted.thenApply(JobEvent.Accepted::jobId), result,
            reason -> link.tell(new HeadLink.CancelJob(submissionId, reason)));
    }

    /**
     * Cancels a job as a client with no session: a job submitted detached or over HTTP; a job whose
     * client follows it only that client may cancel (the answer says so).
     */
    public CompletionStage<CoordinatorCommand.CancelAnswer> cancel(String jobId, String reason) {
        return AskPattern.ask(link, (ActorRef<CoordinatorCommand.CancelAnswer> replyTo) -> new HeadLink.Send(
            new CoordinatorCommand.CancelJob(jobId, reason, null, replyTo)), Duration.ofSeconds(10), system.scheduler());
    }

    /** Submits a job and waits for it to end. */
    public JobResult run(JobSpec spec) {
        return submit(spec).result().toCompletableFuture().join();
    }

    public CompletionStage<ClusterStatus> status() {
        return AskPattern.ask(link, (ActorRef<ClusterStatus> replyTo) -> new HeadLink.Send(new GetStatus(replyTo)),
            Duration.ofSeconds(10), system.scheduler());
    }

    /** One job as the head knows it: running, or finished, with its report if it is among the last few. */
    public CompletionStage<JobLookup> job(String jobId) {
        return AskPattern.ask(link, (ActorRef<JobLookup> replyTo) -> new HeadLink.Send(new GetJob(jobId, replyTo)),
            Duration.ofSeconds(10), system.scheduler());
    }

    /**
     * The grid's counter of this name (made on its first increment): a persistent value that
     * outlives the worker node holding it, and counts each increment exactly once.
     *
     * @throws IllegalArgumentException for a name that is not 1 to 128 letters, digits, '.', '_' or '-'
     */
    public CounterHandle counter(String name) {
        return new CounterHandle(name, link, system);
    }

    public ActorSystem<?> system() {
        return system;
    }

    @Override
    public void close() {
        onClose.run();
    }

    private static void terminate(ActorSystem<?> system) {
        system.terminate();
        awaitTermination(system);
    }

    private static void awaitTermination(ActorSystem<?> system) {
        try {
            system.getWhenTerminated().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // shutting down anyway
        }
    }
}
