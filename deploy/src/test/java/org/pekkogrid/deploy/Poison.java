package org.pekkogrid.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.Param;
import org.pekkogrid.workloads.ValueFold;
import org.pekkogrid.workloads.Workload;

/**
 * A test-only workload (on the class path of the tests' child JVMs, never in the jar) whose
 * chunk {@code chunk} misbehaves on every attempt as user code can: it ends its JVM, never
 * returns and ignores interrupts, runs out of memory, or throws. The other chunks sleep a
 * little and return their index.
 */
public final class Poison implements Workload<Poison.Params, Poison.Dose, Long, Long> {

    public record Params(
            @Param(value = "exit, loop, oom or throw", defaultValue = "throw") String mode,
            @Param(value = "the chunk that misbehaves", defaultValue = "5") long chunk,
            @Param(value = "sleep of the other chunks, ms", defaultValue = "10") long millis) {
        public Params {
            if (!List.of("exit", "loop", "oom", "throw").contains(mode)) {
                throw new IllegalArgumentException("mode must be exit, loop, oom or throw, got " + mode);
            }
        }
    }

    public record Dose(long index, Params params) {}

    @Override
    public String name() {
        return "poison";
    }

    @Override
    public String description() {
        return "tests only: chunk `chunk` exits its JVM, loops ignoring interrupts, runs out of memory or throws";
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
    public long defaultChunks(Params params) {
        return 20;
    }

    @Override
    public ChunkSource<Dose> split(Params params, long chunks) {
        return ChunkSource.indices(chunks).map(index -> new Dose(index, params));
    }

    @Override
    public Long run(Dose dose, ChunkContext ctx) throws Exception {
        if (dose.index() != dose.params().chunk()) {
            Thread.sleep(dose.params().millis());
            return dose.index();
        }
        switch (dose.params().mode()) {
            case "exit" -> System.exit(1);
            case "loop" -> {
                while (true) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ignored) {
                        // as badly written user code does
                    }
                }
            }
            case "oom" -> {
                List<long[]> hog = new ArrayList<>();
                while (true) hog.add(new long[1 << 20]);
            }
            default -> throw new IllegalStateException("poison: chunk " + dose.index() + " throws by design");
        }
        return dose.index();
    }

    @Override
    public Aggregator<Long, Long> aggregator(Params params, long chunks) {
        return new ValueFold<>(0L, (count, index) -> count + 1, count -> count);
    }

    @Override
    public Long runSequential(Params params) {
        return defaultChunks(params);
    }

    /** Never warmed: warming would run the poison on every worker at start. */
    @Override
    public Map<String, String> warmUpParams() {
        return null;
    }
}
