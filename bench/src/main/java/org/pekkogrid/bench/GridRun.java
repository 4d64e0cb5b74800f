package org.pekkogrid.bench;

import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobSpec;

/** One job run on the grid for a measurement; a job that does not complete stops the experiment. */
record GridRun(JobResult result) {

    static GridRun of(GridClient client, JobSpec spec) {
        JobResult r = client.run(spec);
        if (!r.completed()) {
            throw new IllegalStateException(spec.workload() + " " + spec.params() + " with "
                + (spec.chunks() == 0 ? "its default chunks" : spec.chunks() + " chunks") + " " + r.status()
                + ": " + r.error());
        }
        return new GridRun(r);
    }

    JobReport report() {
        return result.report();
    }

    /** The head's measure: job accepted → last result folded. */
    double makespanMillis() {
        return result.report().makespanMillis();
    }

    /** The client's measure: submit → final answer, so it includes both trips over the network. */
    double roundTripMillis() {
        return result.roundTripNanos() / 1e6;
    }
}
