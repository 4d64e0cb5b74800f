package org.pekkogrid.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.pekkogrid.protocol.RunnerCommand.ChunkResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker node's compute threads: {@code cores} of them free for chunks, however many are stuck.
 *
 * <p>A slot whose chunk ran past its timeout and did not come back from its interrupt declares
 * the thread stuck: the pool starts one more thread in its place, and lets one go if the stuck one
 * ever returns. Java cannot stop a thread that ignores interrupts, so the node lives with it; but
 * more stuck threads than cores means whatever catches them keeps catching them, and the pool then
 * calls {@code onTooManyStuck} (once) so that the node gives its JVM up for a fresh one.
 *
 * <p>Threads are daemons: a stuck thread never keeps the JVM from exiting.
 */
final class ComputePool implements Executor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ComputePool.class);

    /** Enough of a stuck thread's stack to see what holds it, short enough for one log entry. */
    private static final int STACK_FRAMES_LOGGED = 12;

    private final ThreadPoolExecutor threads;
    private final int cores;
    private final WorkerMetrics metrics;
    private final Consumer<String> onTooManyStuck;
    // Guarded by this: each stuck batch, and what it was running when declared stuck.
    private final Map<BatchRun, String> stuck = new LinkedHashMap<>();
    private boolean exiting;

    /**
     * @param name           prefix of the threads' names, such as {@code grid-compute-10.0.0.7:2552}
     * @param onTooManyStuck told, once, why the node must exit: which chunks of which jobs hold its threads
     */
    ComputePool(String name, int cores, WorkerMetrics metrics, Consumer<String> onTooManyStuck) {
        this.cores = cores;
        this.metrics = metrics;
        this.onTooManyStuck = onTooManyStuck;
        AtomicInteger started = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(cores, cores, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(task, name + "-" + started.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        metrics.stuckThreads(0);
    }

    @Override
    public void execute(Runnable task) {
        threads.execute(task);
    }

    /** What a chain of batches tells its slot as each one ends. */
    interface BatchEnded {
        /**
         * @param results   null when the batch threw {@code failure}
         * @param following the batch this thread took next and now runs, or null
         */
        void ended(BatchRun run, ChunkResults results, Throwable failure, BatchRun following);
    }

    /**
     * Runs {@code first} on a thread of the pool; then, on the same thread, each batch that
     * {@code next} hands it as the one before ends. A slot's queued batch thus starts the moment
     * the last one ends, not once the slot's actor has been given a core to hear of it: with every
     * core busy with chunks, that took 1-4 ms per batch.
     */
    void runChain(BatchRun first, UnaryOperator<BatchRun> next, BatchEnded ended) {
        threads.execute(() -> {
            BatchRun run = first;
            while (run != null) {
                ChunkResults results = null;
                Throwable failure = null;
                try {
                    results = run.run();
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    returned(run);
                }
                BatchRun following = failure == null ? next.apply(run) : null;
                ended.ended(run, results, failure, following);
                run = following;
            }
        });
    }

    /**
     * The batch's thread did not come back from its interrupt: the pool starts a thread in its
     * place. False when the batch has just finished after all (its results are on their way).
     *
     * @param what the chunk it is stuck in, named for people
     */
    boolean declareStuck(BatchRun batch, String what) {
        String thread = batch.threadAndStack(STACK_FRAMES_LOGGED);
        String exitReason = null;
        int stuckNow;
        synchronized (this) {
            if (batch.finished() || stuck.containsKey(batch)) return false;
            stuck.put(batch, what);
            stuckNow = stuck.size();
            resize(cores + stuckNow);
            metrics.stuckThreads(stuckNow);
            if (stuckNow > cores && !exiting) {
                exiting = true;
                exitReason = stuckNow + " compute threads are stuck, more than this node has cores (" + cores + "): "
                    + String.join("; ", stuck.values());
            }
        }
        log.warn("{}: its thread did not come back from its interrupt and is declared stuck; a fresh thread takes "
            + "its place (stuck threads on this node: {}; cores: {}). The stuck thread: {}", what, stuckNow, cores, thread);
        if (exitReason != null) {
            log.error("{}. The node stops, to be restarted with a fresh JVM (`grid worker` exits with status {}); "
                + "the head runs its chunks on other nodes", exitReason, StuckThreadsExit.EXIT_STATUS);
            onTooManyStuck.accept(exitReason);
        }
        return true;
    }

    /** Threads stuck now. */
    synchronized int stuckThreads() {
        return stuck.size();
    }

    /** A batch's thread is back: if it had been declared stuck, the pool lets one thread go. */
    private void returned(BatchRun batch) {
        String what;
        int stillStuck;
        synchronized (this) {
            what = stuck.remove(batch);
            if (what == null) return;
            stillStuck = stuck.size();
            resize(cores + stillStuck);
            metrics.stuckThreads(stillStuck);
        }
        log.info("a thread declared stuck came back from {}; {} still stuck", what, stillStuck);
    }

    private void resize(int size) {
        // The pool's core size may never exceed its maximum: grow the maximum first, shrink it last.
        if (size > threads.getMaximumPoolSize()) {
            threads.setMaximumPoolSize(size);
            threads.setCorePoolSize(size);
        } else {
            threads.setCorePoolSize(size);
            threads.setMaximumPoolSize(size);
        }
    }

    /** Threads alive now, stuck or not; for tests. */
    int threadCount() {
        return threads.getPoolSize();
    }

    /** Interrupts what runs and takes no more work; the threads, daemons, do not hold the JVM. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
