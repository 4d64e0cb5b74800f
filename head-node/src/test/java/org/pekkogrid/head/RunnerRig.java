package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.GridMessage;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobTicket;
import org.pekkogrid.protocol.NodeCapacity;
import org.pekkogrid.protocol.Requirements;
import org.pekkogrid.protocol.RunnerCommand;
import org.pekkogrid.protocol.RunnerCommand.ChunkError;
import org.pekkogrid.protocol.RunnerCommand.ChunkResults;
import org.pekkogrid.protocol.SlotCommand;
import org.pekkogrid.protocol.SlotCommand.RunChunks;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.LocalChunkContext;

/**
 * One {@link JobRunner} with everything around it played by the test: a client, a coordinator
 * and worker slots. Each of them is a tiny actor that puts what it receives on one queue, so a
 * test reads the runner's messages per destination in the order that destination got them, or
 * waits for whatever comes next from any of them. The slots run chunks the way a worker does:
 * with their own binding of the job, through the workload's result codec.
 */
final class RunnerRig {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String CLIENT = "client";
    static final String COORDINATOR = "coordinator";
    static final String BOOK = "book";
    private static final AtomicInteger RIGS = new AtomicInteger();

    /** A message the runner sent, and to whom. */
    record Seen(String to, Object message) {}

    /** A worker slot played by the test. */
    static final class FakeSlot {
        final String name;
        final Slot slot;

        FakeSlot(String name, Slot slot) {
            this.name = name;
            this.slot = slot;
        }

        ActorRef<SlotCommand> ref() {
            return slot.ref();
        }

        Address node() {
            return slot.node();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Head settings for tests: progress ticks never fire, retries avoid a node for an hour. */
    static HeadSettings settings(Duration targetBatch, int maxBatchChunks, Duration queuedWorkPerSlot) {
        return settings(targetBatch, maxBatchChunks, queuedWorkPerSlot, 16L << 20);
    }

    /** @param foldBacklogBytes results that may wait for the job's fold before it takes no more credit */
    static HeadSettings settings(Duration targetBatch, int maxBatchChunks, Duration queuedWorkPerSlot,
                                 long foldBacklogBytes) {
        return new HeadSettings(100_000_000, 3, Duration.ofSeconds(60), 64, Duration.ofHours(1), targetBatch,
            maxBatchChunks, queuedWorkPerSlot, Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofSeconds(1), 100,
            10, 256 * 1024, Duration.ofHours(1), 10_000, Duration.ofSeconds(15), foldBacklogBytes,
            new HeadSettings.Speculation(false, 4, Duration.ofSeconds(1)), Duration.ofSeconds(30), 0, 10_000, 0, 0, 100);
    }

    static HeadSettings settings() {
        return settings(Duration.ofMillis(100), 2048, Duration.ofMillis(5));
    }

    static Address node(int n) {
        return new Address("pekko", "grid", "10.0.0." + n, 2552);
    }

    private final ActorTestKit testKit;
    private final String id = "rig" + RIGS.incrementAndGet();
    private final LinkedBlockingQueue<Seen> arrived = new LinkedBlockingQueue<>();
    private final List<Seen> unread = new ArrayList<>();
    final String jobId;
    final BoundJob<?, ?, ?, ?> worker;
    final ActorRef<JobEvent> client;
    final ActorRef<CoordinatorCommand> coordinator;
    final ActorRef<RunnerCommand> runner;
    final long chunks;
    /** Run time each chunk reports; the runner sizes batches from it. */
    long runNanosPerChunk = 1_000_000;

    RunnerRig(ActorTestKit testKit, String workload, Map<String, String> params, long chunks, int maxRetries,
              HeadSettings settings) {
        this(testKit, workload, params, chunks, maxRetries, settings, null);
    }

    /**
     * A rig whose runner keeps a job journal: its checkpoints go to the endpoint {@link #BOOK}.
     *
     * @param journal how often to checkpoint and what to resume from; its book is replaced by the rig's
     */
    RunnerRig(ActorTestKit testKit, String workload, Map<String, String> params, long chunks, int maxRetries,
              HeadSettings settings, JobRunner.Journal journal) {
        this.testKit = testKit;
        this.jobId = "job-" + id;
        BoundJob<?, ?, ?, ?> head = BoundJob.bind(workload, params, chunks, settings.maxChunks());
        this.worker = BoundJob.bind(workload, params, chunks, settings.maxChunks());
        this.chunks = head.chunks();
        this.client = endpoint(CLIENT);
        this.coordinator = endpoint(COORDINATOR);
        JobTicket ticket = new JobTicket(jobId, workload, params, head.chunks(), Duration.ofMillis(200));
        JobRunner.Journal withBook = journal == null ? JobRunner.Journal.OFF
            : new JobRunner.Journal(endpoint(BOOK), journal.every(), journal.everyChunks(), journal.restored(),
                journal.acceptedAtMillis());
        this.runner = testKit.spawn(JobRunner.create(jobId, ticket, head, Requirements.NONE, maxRetries, false, settings,
            client, coordinator, HeadMetrics.JobMeter.OFF, withBook), "runner-" + id);
    }

    FakeSlot slot(String name, Address node, int cores) {
        ActorRef<SlotCommand> ref = endpoint(name);
        return new FakeSlot(name, new Slot(ref, ref, "slot-" + name, node, new NodeCapacity(cores, 1L << 30, Set.of())));
    }

    /** Another listener of the job's events besides its client, such as a client that follows it after a failover. */
    ActorRef<JobEvent> listener(String name) {
        return endpoint(name);
    }

    private <T> ActorRef<T> endpoint(String name) {
        return testKit.spawn(Behaviors.<T>receiveMessage(m -> {
            arrived.add(new Seen(name, m));
            return Behaviors.same();
        }), id + "-" + name);
    }

    // ---- telling the runner

    void grant(FakeSlot slot, int batches, int eligibleSlots, int eligibleNodes) {
        runner.tell(new JobRunner.Grant(slot.slot, batches, eligibleSlots, eligibleNodes));
    }

    /** Runs the batch as a worker would and sends its results with {@code demand} fresh credit. */
    ChunkResults answer(FakeSlot slot, RunChunks batch, int demand) {
        ChunkResults results = run(slot, batch, demand);
        runner.tell(results);
        return results;
    }

    ChunkResults run(FakeSlot slot, RunChunks batch, int demand) {
        List<Long> indices = chunksOf(batch);
        int n = indices.size();
        long[] runNanos = new long[n];
        Object[] results = new Object[n];
        long[] items = null;
        List<ChunkError> errors = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            long index = indices.get(k);
            int attempt = batch.attempts().length == 0 ? 0 : batch.attempts()[k];
            LocalChunkContext ctx = new LocalChunkContext(index, attempt);
            try {
                results[k] = worker.runChunk(index, ctx);
            } catch (Exception e) {
                errors.add(new ChunkError(index, attempt, e.getClass().getName() + ": " + e.getMessage()));
            }
            runNanos[k] = runNanosPerChunk;
            if (ctx.itemCount() >= 0) {
                if (items == null) {
                    items = new long[n];
                    java.util.Arrays.fill(items, 1);
                }
                items[k] = ctx.itemCount();
            }
        }
        return new ChunkResults(batch.batchId(), batch.token(), slot.slot.slotId(), 0, runNanos,
            worker.encodeResults(results), errors, List.of(), items == null ? new long[0] : items, demand);
    }

    static List<Long> chunksOf(RunChunks batch) {
        List<Long> out = new ArrayList<>();
        long[] r = batch.ranges();
        for (int i = 0; i < r.length; i += 2) {
            for (long c = r[i]; c < r[i] + r[i + 1]; c++) out.add(c);
        }
        return out;
    }

    // ---- reading what the runner sent

    /** The next message the runner sent to anyone (first those read past by {@link #expect}). */
    Seen next() {
        if (!unread.isEmpty()) return unread.remove(0);
        return poll();
    }

    /** Every message not read yet, without waiting for more. */
    List<Seen> drain() {
        List<Seen> all = new ArrayList<>(unread);
        unread.clear();
        arrived.drainTo(all);
        return all;
    }

    boolean nothingWaiting() {
        return unread.isEmpty() && arrived.isEmpty();
    }

    /** The next message to {@code to}, which must be a {@code type}. */
    <T> T expect(String to, Class<T> type) {
        Seen seen = nextTo(to);
        return assertInstanceOf(type, seen.message(), "the next message to " + to);
    }

    <T> T expect(FakeSlot to, Class<T> type) {
        return expect(to.name, type);
    }

    /** The next message to {@code to} of this type, passing over others to it of the types to skip. */
    <T> T expectSkipping(String to, Class<T> type, Class<?>... skip) {
        while (true) {
            Seen seen = nextTo(to);
            if (type.isInstance(seen.message())) return type.cast(seen.message());
            // The report's long lists always travel just ahead of the final event.
            boolean skippable = seen.message() instanceof org.pekkogrid.protocol.JobEvent.ReportPart;
            for (Class<?> s : skip) skippable |= s.isInstance(seen.message());
            if (!skippable) fail("expected a " + type.getSimpleName() + " to " + to + ", got " + seen.message());
        }
    }

    private Seen nextTo(String to) {
        for (Iterator<Seen> it = unread.iterator(); it.hasNext(); ) {
            Seen seen = it.next();
            if (seen.to().equals(to)) {
                it.remove();
                return seen;
            }
        }
        while (true) {
            Seen seen = poll();
            if (seen.to().equals(to)) return seen;
            unread.add(seen);
        }
    }

    private Seen poll() {
        try {
            Seen seen = arrived.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(seen, "the runner sent nothing for " + TIMEOUT.toSeconds() + " s; unread: " + unread);
            return seen;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
