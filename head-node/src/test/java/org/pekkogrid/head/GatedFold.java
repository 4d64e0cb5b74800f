package org.pekkogrid.head;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkCount;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.Param;
import org.pekkogrid.workloads.Workload;

/**
 * A workload whose fold waits at a gate the test opens, as a slow fold would take its time, and
 * notes the threads it folds on. Its answer is the number of chunks folded; its fold can be saved.
 * Registered for this module's tests only.
 */
public final class GatedFold implements Workload<GatedFold.Params, Long, Long, Long> {

    public record Params(
            @Param(value = "whether the answer throws", defaultValue = "false") boolean failAnswer) {}

    /** Folds wait here while it is closed; null lets them through. */
    static volatile CountDownLatch gate;

    /** Names of the threads that folded. */
    static final Set<String> foldThreads = ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
        return "gated-fold";
    }

    @Override
    public String description() {
        return "counts its chunks; each fold waits at a gate the test opens";
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
    public ChunkSource<Long> split(Params params, long chunks) {
        return ChunkSource.indices(chunks);
    }

    @Override
    public Long run(Long chunk, ChunkContext ctx) {
        return chunk;
    }

    @Override
    public Aggregator<Long, Long> aggregator(Params params, long chunks) {
        return gated(params, ChunkCount.fold(new ChunkCount(0)));
    }

    @Override
    public Class<ChunkCount> foldStateType() {
        return ChunkCount.class;
    }

    @Override
    public Aggregator<Long, Long> resumeAggregator(Params params, long chunks, Object state) {
        return gated(params, ChunkCount.fold((ChunkCount) state));
    }

    private static Aggregator<Long, Long> gated(Params params, Aggregator<Long, Long> count) {
        return new Aggregator<>() {
            @Override
            public void add(long chunkIndex, Long result) {
                foldThreads.add(Thread.currentThread().getName());
                CountDownLatch closed = gate;
                try {
                    if (closed != null && !closed.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("gate shut");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                count.add(chunkIndex, result);
            }

            @Override
            public Long result() {
                if (params.failAnswer()) throw new IllegalStateException("no answer, by design");
                return count.result();
            }

            @Override
            public Object state() {
                return count.state();
            }
        };
    }

    @Override
    public Long runSequential(Params params) {
        return 0L;
    }
}
