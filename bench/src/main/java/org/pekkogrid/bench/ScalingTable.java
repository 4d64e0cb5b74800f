package org.pekkogrid.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The table, CSV and headline of a scaling experiment. */
final class ScalingTable {

    private ScalingTable() {}

    static List<String> header(String sizeName) {
        return List.of(sizeName, "cores", "makespan ms", "speedup over 1", "efficiency", "speedup over sequential");
    }

    static List<List<String>> rows(List<ScalingPoint> points, double sequentialMillis) {
        ScalingPoint first = points.get(0);
        List<List<String>> rows = new ArrayList<>();
        for (ScalingPoint p : points) {
            rows.add(List.of(String.valueOf(p.size()), String.valueOf(p.cores()),
                Figures.spread(p.makespan(), Figures::millis), Figures.ratio(p.speedupOver(first)),
                Figures.ratio(p.efficiencyOver(first)), Figures.ratio(p.speedupOverSequential(sequentialMillis))));
        }
        return rows;
    }

    static void writeSummary(Path file, String sizeName, List<ScalingPoint> points, double sequentialMillis)
            throws Exception {
        ScalingPoint first = points.get(0);
        try (CsvFile csv = CsvFile.create(file, sizeName, "cores", "runs", "makespan_ms_median", "makespan_ms_min",
                "makespan_ms_max", "speedup", "efficiency", "speedup_over_sequential", "sequential_ms_median")) {
            for (ScalingPoint p : points) {
                csv.row(p.size(), p.cores(), p.makespanMillis().size(), p.makespan().median(), p.makespan().min(),
                    p.makespan().max(), p.speedupOver(first), p.efficiencyOver(first),
                    p.speedupOverSequential(sequentialMillis), sequentialMillis);
            }
        }
    }

    /** "1, 2, 3 worker JVMs: speedup 1.00, 1.84, 1.79; efficiency 1.00, 0.92, 0.60." */
    static String sentence(List<ScalingPoint> points, String sizeName) {
        ScalingPoint first = points.get(0);
        return String.join(", ", points.stream().map(p -> String.valueOf(p.size())).toList()) + " " + sizeName
            + ": speedup " + String.join(", ", points.stream().map(p -> Figures.ratio(p.speedupOver(first))).toList())
            + "; efficiency " + String.join(", ", points.stream().map(p -> Figures.ratio(p.efficiencyOver(first))).toList())
            + " (over " + first.size() + ", median makespans).";
    }
}
