package org.pekkogrid.workloads;

/** The half-open range {@code [start, end)} of a one-dimensional input. */
public record Range(long start, long end) {

    public long size() {
        return end - start;
    }

    /**
     * Splits {@code [0, total)} into {@code chunks} ranges whose sizes differ by at most one.
     *
     * @param what the unit, for the error message ("terms", "samples")
     */
    public static ChunkSource<Range> split(long total, long chunks, String what) {
        if (chunks < 1) throw new IllegalArgumentException("chunks must be at least 1, got " + chunks);
        if (chunks > total) {
            throw new IllegalArgumentException(
                "chunks (" + chunks + ") exceeds " + what + " (" + total + "): a chunk would be empty");
        }
        long base = total / chunks;
        long extra = total % chunks;
        return ChunkSource.of(chunks, i -> {
            if (i < 0 || i >= chunks) throw new IndexOutOfBoundsException("chunk " + i + " of " + chunks);
            long start = i * base + Math.min(i, extra);
            return new Range(start, start + base + (i < extra ? 1 : 0));
        });
    }
}
