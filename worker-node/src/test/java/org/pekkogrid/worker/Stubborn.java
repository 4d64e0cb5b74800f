package org.pekkogrid.worker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkCount;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.Param;
import org.pekkogrid.workloads.Workload;

/**
 * Chunks that wait for a gate the test opens, as a kernel caught in a loop or in I/O that never
 * returns would; by default they swallow every interrupt. Registered for this module's tests only.
 * It asks for no warm-up: a worker that ran it with its defaults at start would never be ready.
 */
public final class Stubborn implements Workload<Stubborn.Params, Stubborn.Wait, Long, Long> {

    public record Params(
            @Param(value = "the gate its chunks wait for", defaultValue = "default") String gate,
            @Param(value = "chunks from this index on wait; those before return at once", defaultValue = "0")
            long waitFrom,
            @Param(value = "whether a waiting chunk ends when interrupted", defaultValue = "false")
            boolean honourInterrupts) {}

    public record Wait(long index, String gate, boolean waits, boolean honourInterrupts) {}

    /** What the chunks of one gate did, and the gate itself. */
    public static final class Gate {
        private final CountDownLatch open = new CountDownLatch(1);
        private final Semaphore waiting = new Semaphore(0);
        private final AtomicInteger started = new AtomicInteger();
        private final AtomicInteger interrupts = new AtomicInteger();

        /** Lets every chunk waiting at this gate, and every later one, through. */
        public void open() {
            open.countDown();
        }

        /** Waits until {@code chunks} more chunks wait at the gate; false if they did not within the time. */
        public boolean awaitWaiting(int chunks, Duration within) throws InterruptedException {
            return waiting.tryAcquire(chunks, within.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Chunks of this gate that started, waiting or not. */
        public int started() {
            return started.get();
        }

        /** Interrupts its waiting chunks received. */
        public int interrupts() {
            return interrupts.get();
        }
    }

    private static final Map<String, Gate> GATES = new ConcurrentHashMap<>();

    public static Gate gate(String name) {
        return GATES.computeIfAbsent(name, n -> new Gate());
    }

    /** Opens every gate, so that no chunk waits past its test. */
    public static void openAll() {
        GATES.values().forEach(Gate::open);
    }

    @Override
    public String name() {
        return "stubborn";
    }

    @Override
    public String description() {
        return "chunks that wait for a test's gate and ignore interrupts";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Class<Long> resultType() {
        return Long.class;
    }

    @Override
    public ChunkSource<Wait> split(Params params, long chunks) {
        return ChunkSource.indices(chunks).map(index ->
            new Wait(index, params.gate(), index >= params.waitFrom(), params.honourInterrupts()));
    }

    @Override
    public Long run(Wait chunk, ChunkContext ctx) throws InterruptedException {
        Gate gate = gate(chunk.gate());
        gate.started.incrementAndGet();
        if (!chunk.waits()) return chunk.index();
        gate.waiting.release();
        boolean interrupted = false;
        while (true) {
            try {
                gate.open.await();
                break;
            } catch (InterruptedException e) {
                gate.interrupts.incrementAndGet();
                if (chunk.honourInterrupts()) throw e;
                interrupted = true;
            }
        }
        // As polite code does, the interrupt it swallowed is noted again once it is done.
        if (interrupted) Thread.currentThread().interrupt();
        return chunk.index();
    }

    @Override
    public Aggregator<Long, Long> aggregator(Params params, long chunks) {
        return ChunkCount.fold(new ChunkCount(0));
    }

    @Override
    public Long runSequential(Params params) {
        return 0L;
    }
}
