package org.pekkogrid.bench;

/**
 * How big {@code grid bench load} is.
 *
 * @param clients       client JVMs of the first phase, all submitting at once
 * @param jobsPerClient jobs each of them submits at once, of the mixed workloads
 * @param inFlight      one-chunk jobs one client submits at once in the second phase
 */
public record LoadSize(int clients, int jobsPerClient, int inFlight) {

    public static final LoadSize DEFAULT = new LoadSize(10, 10, 1000);
    /** --quick: a few seconds of load once the JVMs are up. */
    public static final LoadSize QUICK = new LoadSize(3, 4, 200);

    public LoadSize {
        if (clients < 1 || clients > 100) throw new IllegalArgumentException("--clients must be within 1..100, got " + clients);
        if (jobsPerClient < 1 || jobsPerClient > 10_000) {
            throw new IllegalArgumentException("--jobs-per-client must be within 1..10000, got " + jobsPerClient);
        }
        if (inFlight < 1 || inFlight > 100_000) {
            throw new IllegalArgumentException("--in-flight must be within 1..100000, got " + inFlight);
        }
    }

    public static LoadSize defaults(boolean quick) {
        return quick ? QUICK : DEFAULT;
    }

    /** These defaults with whichever of the three a command line gave (null: not given). */
    public static LoadSize of(boolean quick, Integer clients, Integer jobsPerClient, Integer inFlight) {
        LoadSize d = defaults(quick);
        return new LoadSize(clients == null ? d.clients() : clients,
            jobsPerClient == null ? d.jobsPerClient() : jobsPerClient, inFlight == null ? d.inFlight() : inFlight);
    }
}
