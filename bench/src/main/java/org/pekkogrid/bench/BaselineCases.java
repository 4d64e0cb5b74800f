package org.pekkogrid.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every workload at the size of the baseline experiment. Full sizes give sequential runs of
 * roughly 5–20 s on one core of the machine the workloads were written on (their authors'
 * figures), long enough that start-up and the last chunk's tail are small beside them.
 */
final class BaselineCases {

    private BaselineCases() {}

    static List<WorkloadCase> of(boolean quick, ImageSet images, ImageSet warmUpImages, Path gridOutput) {
        return List.of(
            // ~0.63 ns a term here: 2e10 terms is ~13 s.
            compute("leibniz-pi", quick, Map.of("terms", "20000000000"), Map.of("terms", "20000000")),
            // ~1.4 ns a sample here: 4e9 samples is ~6 s.
            compute("monte-carlo-pi", quick, Map.of("samples", "4000000000"), Map.of("samples", "10000000")),
            compute("prime-count", quick, Map.of("n", "20000000000"), Map.of("n", "50000000")),
            compute("prime-search", quick, Map.of("bits", "1024", "count", "250"), Map.of("bits", "256", "count", "16")),
            compute("factor", quick, Map.of("bits", "62", "count", "20000"), Map.of("bits", "40", "count", "400")),
            compute("matmul", quick, Map.of("n", "3000"), Map.of("n", "240")),
            compute("stats", quick, Map.of("rows", "80000000"), Map.of("rows", "400000")),
            new WorkloadCase("grayscale", grayscale(images, gridOutput), 0, grayscale(warmUpImages, gridOutput)));
    }

    private static WorkloadCase compute(String workload, boolean quick, Map<String, String> full,
                                        Map<String, String> small) {
        return new WorkloadCase(workload, quick ? small : full, 0, small);
    }

    /** The grid writes into {@code output}, which the experiment empties before each run, so each run does all the work. */
    static Map<String, String> grayscale(ImageSet images, Path output) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("input", images.dir().toAbsolutePath().toString());
        p.put("output", output.toAbsolutePath().toString());
        p.put("overwrite", "true");
        return p;
    }
}
