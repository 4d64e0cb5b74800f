package org.pekkogrid.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * How {@code grid bench} was asked to run.
 *
 * @param out         results go to {@code out/<experiment>/}
 * @param quick       small sizes: every experiment in seconds (CI runs this)
 * @param repeat      measured runs per point; the report gives their median and min–max
 * @param seeds       an existing grid to measure ({@code host:port}); empty for grids started here
 * @param progressBar draw a progress bar (on a terminal); otherwise one line per run
 * @param log         where progress and notes go (stderr)
 */
public record BenchOptions(Path out, boolean quick, int repeat, List<String> seeds, boolean progressBar,
                           PrintStream log) {

    public BenchOptions {
        if (out == null) throw new IllegalArgumentException("--out: give a directory for the results");
        if (repeat < 1) throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
        if (repeat > 1000) throw new IllegalArgumentException("--repeat must be at most 1000, got " + repeat);
        seeds = List.copyOf(seeds == null ? List.of() : seeds);
        if (log == null) log = System.err;
    }

    public boolean remote() {
        return !seeds.isEmpty();
    }
}
