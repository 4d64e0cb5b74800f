package org.pekkogrid.workloads.grayscale;

import java.util.List;

/**
 * The answer of a grayscale job.
 *
 * @param images        images listed in the input directory
 * @param ok            outputs written, or found with exactly the bytes they would be written with
 *                      (written by a chunk that ran before, or there before the job)
 * @param skipped       outputs that existed with other bytes and were kept ({@code overwrite=false})
 * @param failed        images reported as failed items
 * @param bytesRead     input bytes decoded
 * @param bytesWritten  bytes of the ok outputs
 * @param decodeMillis  time spent decoding, summed over all threads and nodes
 * @param opMillis      time spent in the op, summed likewise
 * @param encodeMillis  time spent encoding, summed likewise
 * @param failures      the first failures in path order (path and reason), at most {@link #MAX_FAILURES}:
 *                      the same list whatever order the chunks were folded in
 */
public record Summary(long images, long ok, long skipped, long failed, long bytesRead, long bytesWritten,
                      long decodeMillis, long opMillis, long encodeMillis, List<ChunkOutcome.Failure> failures) {

    /** Failures an answer lists; the grid's job report counts all of them. */
    public static final int MAX_FAILURES = 100;

    public Summary {
        failures = List.copyOf(failures);
    }
}
