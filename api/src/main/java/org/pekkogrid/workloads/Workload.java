package org.pekkogrid.workloads;

import java.util.Map;
import org.pekkogrid.protocol.Requirements;

/**
 * A computation the grid can split into chunks. Found by name through {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/org.pekkogrid.workloads.Workload}): in a jar a job
 * ships ({@code grid submit --jar}), or in one on the class path of head and workers. It needs a
 * public no-argument constructor. See the package documentation for a walk-through.
 *
 * <p>Chunks are never materialised all at once: {@link #split} returns a random-access plan,
 * and both the head and each worker derive chunk {@code i} from its index. The head then
 * only handles indices, and a retried chunk is rebuilt, not stored.
 *
 * @param <P> the parameters: a record whose components are bound from {@code --param name=value}
 * @param <C> one chunk's description
 * @param <R> one chunk's result, encoded with Jackson on the way back to the head
 * @param <A> the job's answer, folded from the chunk results
 */
public interface Workload<P extends Record, C, R, A> {

    /** The name users type, such as {@code leibniz-pi}. */
    String name();

    /** One line for {@code grid workloads}. */
    String description();

    Class<P> paramsType();

    /** The result type of a chunk; {@code Void.class} when chunks return nothing. */
    Class<R> resultType();

    /** Chunks to use when the job does not say. */
    default long defaultChunks(P params) {
        return 256;
    }

    /**
     * Tags a worker node advertises because this workload can run there, probed once when the
     * node starts (grayscale offers {@code opencv} when OpenCV's natives load).
     */
    default java.util.Set<String> tagsOffered() {
        return java.util.Set.of();
    }

    /** What every chunk of this workload needs from its node, whatever the job asks. */
    default Requirements requirements(P params) {
        return Requirements.NONE;
    }

    /**
     * The chunk plan. Throws {@link IllegalArgumentException} with a message naming the problem
     * when the parameters cannot be split this way (more chunks than work, say).
     */
    ChunkSource<C> split(P params, long chunks);

    /**
     * The files inside the job's {@link java.nio.file.Path} parameters that it will read or
     * write, by parameter name (grayscale: each image in {@code input}), so that a link among
     * them cannot lead outside the node's file roots ({@code grid.files.roots}); the parameters themselves are
     * checked without this. Called only on a node with roots, before {@link #split}.
     */
    default Map<String, java.util.List<java.nio.file.Path>> filesWithin(P params) {
        return Map.of();
    }

    /**
     * Whether the head ships each chunk to its worker, encoded as {@link #chunkType()}, instead
     * of each worker deriving it from its index: for inputs only the head can read. Workers
     * then never call {@link #split}; each travelling chunk goes alone, on Artery's channel for
     * large messages.
     */
    default boolean chunksTravel(P params) {
        return false;
    }

    /**
     * Most bytes one travelling chunk may carry, as these parameters bound it; 0 when the chunks
     * do not travel or nothing bounds them. The head refuses a job whose chunks could outgrow the
     * largest message its nodes accept, instead of losing them on the wire.
     */
    default long travellingChunkBytes(P params) {
        return 0;
    }

    /** The type a travelling chunk is encoded as; needed only when {@link #chunksTravel} can be true. */
    default Class<C> chunkType() {
        throw new UnsupportedOperationException(name() + ": its chunks do not travel");
    }

    /** Runs one chunk on a worker. An exception fails this attempt; the chunk is retried. */
    R run(C chunk, ChunkContext ctx) throws Exception;

    /** A fresh fold of chunk results into the answer, on the head. */
    Aggregator<R, A> aggregator(P params, long chunks);

    /**
     * The type {@link Aggregator#state} returns; null when this workload's folds cannot be saved
     * (a resumed job then runs again from its first chunk). The head saves the state as CBOR
     * and reads it back with this type, never with one named in the bytes.
     */
    default Class<?> foldStateType() {
        return null;
    }

    /**
     * A fold that goes on from a state that {@link Aggregator#state} returned (after a CBOR round
     * trip) for a job of these parameters and chunks. Throws {@link IllegalArgumentException}
     * saying what was wrong when the state cannot be such a job's.
     */
    default Aggregator<R, A> resumeAggregator(P params, long chunks, Object state) {
        throw new UnsupportedOperationException(name() + " declares no foldStateType: its folds cannot be resumed");
    }

    /**
     * The parameters the baseline runs with, so that it repeats the job's work instead of
     * finding it done: a workload that writes files points them at {@code scratch}.
     */
    default P baselineParams(P params, java.nio.file.Path scratch) {
        return params;
    }

    /** The single-thread baseline: the same kernel over the whole input, no grid. */
    A runSequential(P params) throws Exception;

    /** The answer as a JSON-friendly value (a number, a record, a map). */
    default Object resultValue(A answer) {
        return answer;
    }

    /** The answer in one line for people. */
    default String summarize(P params, A answer) {
        return String.valueOf(answer);
    }

    /**
     * Parameters of a small job that exercises the kernel, which a worker runs before it takes
     * work so that the JIT has compiled it; {@code Map.of()} for the defaults. Null (the default)
     * for none: a worker runs a workload's code only for a job that asks for it, so a workload
     * whose defaults misbehave (read inputs the node lacks, never return) cannot stop a worker
     * before it is ever ready. Workloads from a job's jar are never warmed up.
     */
    default Map<String, String> warmUpParams() {
        return null;
    }
}
