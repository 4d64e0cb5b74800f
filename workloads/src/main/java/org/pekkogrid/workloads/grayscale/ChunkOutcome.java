package org.pekkogrid.workloads.grayscale;

import java.util.List;

/**
 * What a chunk sends back to the head: counts and timings in paths mode (a few dozen bytes),
 * plus the encoded outputs in inline mode.
 *
 * @param ok           images converted (and, in paths mode, written, or found already written
 *                     with exactly these bytes, as by an earlier attempt of this chunk)
 * @param skipped      images whose output existed with other bytes and was kept
 *                     ({@code overwrite=false})
 * @param failed       images that were missing, unreadable, empty, truncated or not images
 * @param bytesRead    input bytes decoded (those of skipped images too: they are converted to compare)
 * @param bytesWritten output bytes of the ok images (inline: shipped back to be written)
 * @param decodeNanos  time in the decoder; with encodeNanos the bulk of the work for photos
 * @param opNanos      time in the op itself
 * @param encodeNanos  time in the encoder
 * @param failures     the first failures of this chunk, for the answer; all of them go to the
 *                     grid through {@code ChunkContext.itemFailed}
 * @param outputs      the outputs, in inline mode only; empty in paths mode
 */
public record ChunkOutcome(int ok, int skipped, int failed, long bytesRead, long bytesWritten,
                           long decodeNanos, long opNanos, long encodeNanos,
                           List<Failure> failures, List<Output> outputs) {

    public ChunkOutcome {
        failures = failures == null ? List.of() : List.copyOf(failures);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** @param item the input's path */
    public record Failure(String item, String reason) {}

    /** An output that travels back to the head, to be written under {@code name}. */
    public record Output(String name, byte[] bytes) {}
}
