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
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.typed.Cluster;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.CoordinatorSingleton;
import org.pekkogrid.protocol.CounterCommand;
import org.pekkogrid.protocol.Counters;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobLookup;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.protocol.Roles;

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
 * A connected client is a cluster member with role {@code client}: it hosts nothing, and
 * leaves the cluster when closed. Besides jobs it reaches the grid's counters:
 * {@code grid.counter("page-views").increment(1)}.
 */
public final class GridClient implements AutoCloseable {

    private final ActorSystem<?> system;
    private final ActorRef<CoordinatorCommand> coordinator;
    private final Duration submitTimeout;
    private final Runnable onClose;
    private final AtomicLong jobs = new AtomicLong();
    private volatile ActorRef<ShardingEnvelope<CounterCommand>> counters;

    private GridClient(ActorSystem<?> system, ActorRef<CoordinatorCommand> coordinator, Runnable onClose) {
        this.system = system;
        this.coordinator = coordinator;
        this.submitTimeout = system.settings().config().getDuration("grid.client.submit-timeout");
        this.onClose = onClose;
    }

    /** Joins the grid at these seeds ({@code host:port}) as a client; waits until a head answers. */
    public static GridClient connect(String... seeds) {
        Config config = ConfigFactory.parseMap(java.util.Map.of("grid.seeds", Arrays.asList(seeds)))
            .withFallback(GridConfig.defaults());
        return connect(config);
    }

    /** Joins the grid that {@code grid.seeds} in this config names; waits until a head answers. */
    public static GridClient connect(Config config) {
        List<String> seeds = config.getStringList("grid.seeds");
        if (seeds.isEmpty()) throw new IllegalArgumentException("no seed given: say where the grid is (--seed host:port)");
        Config nodeConfig = GridConfig.forNode(config, List.of(Roles.CLIENT));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), config.getString("grid.system-name"), nodeConfig);
        ActorRef<CoordinatorCommand> coordinator = CoordinatorSingleton.proxy(system);
        GridClient client = new GridClient(system, coordinator, () -> terminate(system));
        try {
            client.awaitHead(config.getDuration("grid.client.connect-timeout"), String.join(", ", seeds));
        } catch (RuntimeException e) {
            terminate(system);
            throw e;
        }
        return client;
    }

    /** A client on a node you already run (a head, say); closing it leaves that node alone. */
    public static GridClient attach(ActorSystem<?> system, ActorRef<CoordinatorCommand> coordinator) {
        return new GridClient(system, coordinator, () -> { });
    }

    /** For an embedded grid: closing the client runs {@code onClose}. */
    public static GridClient attach(ActorSystem<?> system, ActorRef<CoordinatorCommand> coordinator, Runnable onClose) {
        return new GridClient(system, coordinator, onClose);
    }

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
        CompletableFuture<String> accepted = new CompletableFuture<>();
        CompletableFuture<JobResult> result = new CompletableFuture<>();
        ActorRef<JobWatcher.Command> watcher = system.systemActorOf(
            JobWatcher.create(coordinator, spec, submitTimeout, listener, accepted, result),
            "grid-job-" + jobs.incrementAndGet(), Props.empty());
        return new JobHandle(accepted, result, watcher);
    }

    /** Submits a job and waits for it to end. */
    public JobResult run(JobSpec spec) {
        return submit(spec).result().toCompletableFuture().join();
    }

    public CompletionStage<ClusterStatus> status() {
        return AskPattern.ask(coordinator, CoordinatorCommand.GetStatus::new, Duration.ofSeconds(10), system.scheduler());
    }

    /** One job as the head knows it: running, or finished, with its report if it is among the last few. */
    public CompletionStage<JobLookup> job(String jobId) {
        return AskPattern.ask(coordinator, (ActorRef<JobLookup> replyTo) -> new CoordinatorCommand.GetJob(jobId, replyTo),
            Duration.ofSeconds(10), system.scheduler());
    }

    /**
     * The grid's counter of this name (made on its first increment): a persistent value that
     * outlives the worker node holding it, and counts each increment exactly once.
     *
     * @throws IllegalArgumentException for a name that is not 1 to 128 letters, digits, '.', '_' or '-'
     */
    public CounterHandle counter(String name) {
        Counters.checkName(name);
        if (counters == null) {
            synchronized (this) {
                // The proxy starts on first use, so a client that never counts costs the cluster nothing.
                if (counters == null) counters = Counters.proxy(system);
            }
        }
        return new CounterHandle(name, counters, system);
    }

    public ActorSystem<?> system() {
        return system;
    }

    @Override
    public void close() {
        onClose.run();
    }

    private void awaitHead(Duration timeout, String seeds) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                status().toCompletableFuture().get(1, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException | ExecutionException e) {
                // not yet: the join or the singleton proxy is still under way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GridUnavailableException("interrupted while connecting to " + seeds);
            }
        }
        MemberStatus self = Cluster.get(system).selfMember().status();
        if (self == MemberStatus.up() || self == MemberStatus.weaklyUp()) {
            throw new GridUnavailableException("joined the grid at " + seeds + " but no head node answered within "
                + timeout.toSeconds() + "s (is a `grid head` running?)");
        }
        throw new GridUnavailableException("no grid node answered at " + seeds + " within " + timeout.toSeconds()
            + "s (is `grid head` running there, and reachable from here?)");
    }

    private static void terminate(ActorSystem<?> system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // shutting down anyway
        }
    }
}
