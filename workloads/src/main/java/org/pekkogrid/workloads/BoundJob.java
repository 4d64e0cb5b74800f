package org.pekkogrid.workloads;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.pekkogrid.protocol.Requirements;

/**
 * A workload bound to a job's parameters and chunk count: what the head validates at submit
 * and what a worker runs chunks with. Holds the generic types together so callers need not.
 */
public final class BoundJob<P extends Record, C, R, A> {

    private final Workload<P, C, R, A> workload;
    private final P params;
    private final long chunks;
    private final boolean travels;
    private final ChunkSource<C> source;  // null on a worker when chunks travel
    private final ResultCodec<R> codec;
    private final ResultCodec<C> chunkCodec;
    private final FoldStateCodec stateCodec;  // null when the workload's folds cannot be saved

    private BoundJob(Workload<P, C, R, A> workload, P params, long chunks, boolean onWorker) {
        this.workload = workload;
        this.params = params;
        this.travels = workload.chunksTravel(params);
        this.source = travels && onWorker ? null : workload.split(params, chunks);
        this.chunks = source == null ? chunks : source.count();
        this.codec = workload.resultType() == Void.class ? null : new ResultCodec<>(workload.resultType());
        this.chunkCodec = travels ? ResultCodec.forChunks(workload.chunkType()) : null;
        Class<?> stateType = workload.foldStateType();
        this.stateCodec = stateType == null ? null
            : new FoldStateCodec(workload.name(), params + " in " + this.chunks + " chunks", stateType);
    }

    /**
     * Binds and validates, with no file roots (tests, a client's own baseline); a node binds
     * with its own {@link FileRoots}.
     */
    public static BoundJob<?, ?, ?, ?> bind(String workloadName, Map<String, String> params, long chunks,
                                            long maxChunks) {
        return bind(workloadName, params, chunks, maxChunks, FileRoots.UNRESTRICTED);
    }

    /**
     * Binds and validates; every problem is an {@link IllegalArgumentException} whose message
     * says what was wrong.
     *
     * @param chunks    0 lets the workload choose
     * @param maxChunks the grid's limit on chunks per job
     * @param roots     where the job's path parameters may lead (see {@link FileRoots})
     */
    public static BoundJob<?, ?, ?, ?> bind(String workloadName, Map<String, String> params, long chunks,
                                            long maxChunks, FileRoots roots) {
        return bindTyped(Workloads.find(workloadName), params, chunks, maxChunks, false, roots);
    }

    /**
     * As {@link #bind(String, Map, long, long, FileRoots)}, for a workload found elsewhere than
     * by name on the class path: one from a jar the job shipped ({@link WorkloadJars}).
     */
    public static BoundJob<?, ?, ?, ?> bind(Workload<?, ?, ?, ?> workload, Map<String, String> params, long chunks,
                                            long maxChunks, FileRoots roots) {
        return bindTyped(workload, params, chunks, maxChunks, false, roots);
    }

    /** As {@link #bindOnWorker(String, Map, long, FileRoots)}, for a workload from a shipped jar. */
    public static BoundJob<?, ?, ?, ?> bindOnWorker(Workload<?, ?, ?, ?> workload, Map<String, String> params,
                                                    long chunks, FileRoots roots) {
        return bindTyped(workload, params, chunks, Long.MAX_VALUE, true, roots);
    }

    /** {@link #bindOnWorker(String, Map, long, FileRoots)} with no file roots: for tests. */
    public static BoundJob<?, ?, ?, ?> bindOnWorker(String workloadName, Map<String, String> params, long chunks) {
        return bindOnWorker(workloadName, params, chunks, FileRoots.UNRESTRICTED);
    }

    /**
     * Binds a job a worker was sent: the head validated it already, against its own roots; the
     * worker checks its paths against its own. When the workload's chunks travel, the worker
     * does not split (it may lack the head's inputs) and touches none of the job's paths, so
     * its roots do not apply.
     */
    public static BoundJob<?, ?, ?, ?> bindOnWorker(String workloadName, Map<String, String> params, long chunks,
                                                    FileRoots roots) {
        return bindTyped(Workloads.find(workloadName), params, chunks, Long.MAX_VALUE, true, roots);
    }

    private static <P extends Record, C, R, A> BoundJob<P, C, R, A> bindTyped(
            Workload<P, C, R, A> workload, Map<String, String> raw, long chunks, long maxChunks, boolean onWorker,
            FileRoots roots) {
        P params = Params.bind(workload.name(), workload.paramsType(), raw);
        // Before the workload looks inside any of its paths (listing, sizing, creating).
        if (!(onWorker && workload.chunksTravel(params))) roots.check(workload, params);
        long n = chunks == 0 ? workload.defaultChunks(params) : chunks;
        if (n < 1) throw new IllegalArgumentException("chunks must be at least 1, got " + n);
        if (n > maxChunks) {
            throw new IllegalArgumentException(
                "chunks (" + n + ") exceeds the grid's maximum of " + maxChunks + " (grid.job.max-chunks)");
        }
        return new BoundJob<>(workload, params, n, onWorker);
    }

    public Workload<P, C, R, A> workload() {
        return workload;
    }

    public P params() {
        return params;
    }

    public long chunks() {
        return chunks;
    }

    /** Most bytes one travelling chunk may carry (see {@link Workload#travellingChunkBytes}); 0 when unbounded or not travelling. */
    public long travellingChunkBytes() {
        return travels ? workload.travellingChunkBytes(params) : 0;
    }

    /** Whether the head ships each chunk to its worker (see {@link Workload#chunksTravel}). */
    public boolean chunksTravel() {
        return travels;
    }

    /** On the head: the chunks at these ranges ({@code start, count} pairs), encoded to travel. */
    public byte[] encodeChunks(long[] ranges) {
        java.util.List<Object> list = new java.util.ArrayList<>();
        for (int r = 0; r < ranges.length; r += 2) {
            for (long i = ranges[r]; i < ranges[r] + ranges[r + 1]; i++) list.add(source.chunk(i));
        }
        return chunkCodec.encode(list.toArray());
    }

    /** On a worker: the travelling chunks of a batch, in batch order. */
    public Object[] decodeChunks(byte[] data) {
        return chunkCodec.decode(data);
    }

    /** Runs a chunk that travelled (decoded with {@link #decodeChunks}). */
    @SuppressWarnings("unchecked")
    public Object runTravelledChunk(Object chunk, ChunkContext ctx) throws Exception {
        return workload.run((C) chunk, ctx);
    }

    public Requirements requirements() {
        return workload.requirements(params);
    }

    public boolean hasResults() {
        return codec != null;
    }

    public Object runChunk(long index, ChunkContext ctx) throws Exception {
        if (source == null) throw new IllegalStateException(workload.name() + ": this job's chunks travel; run the shipped chunk");
        return workload.run(source.chunk(index), ctx);
    }

    /** Encodes results in batch order; null when the workload has no results. */
    public byte[] encodeResults(Object[] results) {
        return codec == null ? null : codec.encode(results);
    }

    public Object[] decodeResults(byte[] bytes) {
        return codec == null || bytes == null ? null : codec.decode(bytes);
    }

    public Fold newFold() {
        return new Fold(workload.aggregator(params, chunks()));
    }

    /** Whether a fold of this job can be saved and resumed: the workload declares a {@link Workload#foldStateType}. */
    public boolean foldResumes() {
        return stateCodec != null;
    }

    /**
     * A fold that goes on from what {@link Fold#saveState} wrote for this job: the same workload,
     * parameters and chunk count (a standby head binds the job again from its spec). Bytes that
     * are damaged, or another job's, throw an {@link java.io.UncheckedIOException} or an
     * {@link IllegalStateException} whose message names the workload; never a wrong fold.
     */
    public Fold resumeFold(byte[] state) {
        if (stateCodec == null) throw cannotSave();
        Object decoded = stateCodec.decode(state);
        try {
            return new Fold(workload.resumeAggregator(params, chunks(), decoded));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(workload.name() + ": cannot resume from this fold state: " + e.getMessage(), e);
        }
    }

    private UnsupportedOperationException cannotSave() {
        return new UnsupportedOperationException(workload.name()
            + ": its folds cannot be saved (it declares no foldStateType); a resumed job runs again from its first chunk");
    }

    /** Runs the sequential baseline with the job's own parameters and returns the answer. */
    public Object runSequential() throws Exception {
        return workload.runSequential(params);
    }

    /** Runs the sequential baseline and returns the answer; files it writes go under {@code scratch}. */
    public Object runSequential(java.nio.file.Path scratch) throws Exception {
        return workload.runSequential(workload.baselineParams(params, scratch));
    }

    /**
     * This job with the same chunks, its files written under {@code scratch} as the baseline's are:
     * what a local run beside the grid's (see {@link LocalRun#ceiling}) may run without touching the
     * job's own outputs.
     */
    public BoundJob<P, C, R, A> inScratch(java.nio.file.Path scratch) {
        return new BoundJob<>(workload, workload.baselineParams(params, scratch), chunks, false);
    }

    @SuppressWarnings("unchecked")
    public String summarize(Object answer) {
        return workload.summarize(params, (A) answer);
    }

    @SuppressWarnings("unchecked")
    public JsonNode answerJson(Object answer) {
        return ResultCodec.toJson(workload.resultValue((A) answer));
    }

    /** The head's fold of one job's results. */
    public final class Fold {
        private final Aggregator<R, A> aggregator;

        private Fold(Aggregator<R, A> aggregator) {
            this.aggregator = aggregator;
        }

        @SuppressWarnings("unchecked")
        public void add(long chunkIndex, Object result) {
            aggregator.add(chunkIndex, (R) result);
        }

        public A answer() {
            return aggregator.result();
        }

        public JsonNode answerJson() {
            return ResultCodec.toJson(workload.resultValue(aggregator.result()));
        }

        public String summary() {
            return workload.summarize(params, aggregator.result());
        }

        /**
         * The fold so far, for the job journal: CBOR of {@link Aggregator#state}, read back with
         * {@link BoundJob#resumeFold}. Exact as of the chunks added until now; call it between
         * adds, not during one. Throws {@link UnsupportedOperationException} when
         * {@link #foldResumes} is false.
         */
        public byte[] saveState() {
            if (stateCodec == null) throw cannotSave();
            return stateCodec.encode(aggregator.state());
        }
    }
}
