package org.pekkogrid.bench;

/** One of the lab's experiments: it measures, then writes {@code results/<name>/}. */
interface Experiment {

    /** The name on the command line and of its results directory. */
    String name();

    /** Measured runs it will make, for the progress bar. */
    int runs(BenchOptions options);

    /** Whether it runs on the shared grid (else the shared grid is stopped while it runs). */
    default boolean usesSharedGrid() {
        return true;
    }

    /** Whether {@code all} runs it; one that is not runs only when named. */
    default boolean inAll() {
        return true;
    }

    /** Runs the experiment, writes its files into {@code context.dir()}, and returns its headline figures. */
    Findings run(BenchContext context) throws Exception;
}
