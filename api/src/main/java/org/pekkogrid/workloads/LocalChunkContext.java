package org.pekkogrid.workloads;

import java.util.ArrayList;
import java.util.List;

/** A {@link ChunkContext} that keeps what the chunk reports, for tests and baselines. */
public final class LocalChunkContext implements ChunkContext {

    public record Failure(String item, String reason) {}

    private final long index;
    private final int attempt;
    private long items = -1;
    private final List<Failure> failures = new ArrayList<>();

    public LocalChunkContext(long index, int attempt) {
        this.index = index;
        this.attempt = attempt;
    }

    @Override
    public long chunkIndex() {
        return index;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public void items(long count) {
        items = count;
    }

    @Override
    public void itemFailed(String item, String reason) {
        failures.add(new Failure(item, reason));
    }

    /** Items reported, or -1 when the chunk did not say. */
    public long itemCount() {
        return items;
    }

    public List<Failure> failures() {
        return failures;
    }
}
