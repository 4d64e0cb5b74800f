package org.pekkogrid.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.LocalChunkContext;

/**
 * The answer a job must give, worked out in this JVM: every chunk run here once (a chunk that
 * throws by design, as flaky's do, is attempted again as the grid would) and folded in order by
 * the workload's own fold. The folds the load test runs (chunk counts, flaky's tally, leibniz-pi's
 * exact sum of partial sums) give the same bits in any order, so the grid's answer must equal
 * this one exactly: a chunk lost or folded twice changes it.
 */
final class ExpectedAnswer {

    /** Attempts of one chunk here before the workload is taken to fail it for good. */
    static final int MAX_ATTEMPTS = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExpectedAnswer() {}

    /** The answer as the grid's JSON: written and read back, so a long and an int of one value compare equal. */
    static JsonNode of(JobSpec spec) throws Exception {
        BoundJob<?, ?, ?, ?> job = BoundJob.bind(spec.workload(), spec.params(), spec.chunks(), Long.MAX_VALUE);
        BoundJob<?, ?, ?, ?>.Fold fold = job.newFold();
        for (long i = 0; i < job.chunks(); i++) fold.add(i, run(job, i));
        return normalized(fold.answerJson());
    }

    static JsonNode normalized(JsonNode answer) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(answer));
    }

    private static Object run(BoundJob<?, ?, ?, ?> job, long index) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                return job.runChunk(index, new LocalChunkContext(index, attempt));
            } catch (Exception e) {
                last = e;
            }
        }
        throw new IllegalStateException(job.workload().name() + ": chunk " + index + " failed " + MAX_ATTEMPTS
            + " attempts here; its answer cannot be worked out", last);
    }
}
