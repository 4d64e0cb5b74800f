package org.pekkogrid.bench;

import java.nio.file.Path;

/**
 * What an experiment runs with: the options, its results directory, the grids, the progress
 * display, and the machine as it was when the experiment started.
 */
record BenchContext(BenchOptions options, Path dir, Grids grids, Progress progress, Machine machine, String name) {

    /** One measured run done. */
    void step(String what) {
        progress.step(name, what);
    }

    void note(String what) {
        progress.note(name, what);
    }

    int repeat() {
        return options.repeat();
    }

    boolean quick() {
        return options.quick();
    }

    /** Where generated inputs are kept between runs: beside the results, hidden. */
    Path cache() {
        return options.out().resolve(".cache");
    }

    /** The paragraph every report.md states its method with. */
    String method(String grid) {
        return "Each point was measured " + options.repeat() + (options.repeat() == 1 ? " time" : " times")
            + " after warm-up runs that are not counted; tables give the median and, in brackets, the min–max. "
            + "Grid: " + grid + "." + (options.quick() ? " **--quick: small sizes, for checking the bench itself; "
            + "the times are too short to be figures worth quoting.**" : "");
    }
}
