package org.pekkogrid.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.pekkogrid.protocol.JobSpec;

/**
 * One job of {@code grid bench load} as its client saw it end, judged against the answer it must give.
 *
 * @param client            the client JVM that submitted it (from 1)
 * @param index             its place in that client's list (from 0)
 * @param submittedAtMicros when its client submitted it, on this machine's clock (µs since the epoch); 0 if unknown
 * @param roundTripMillis   submit → final answer, measured by its client; NaN without an answer
 * @param makespanMillis    the head's measure: job accepted → last result folded; NaN without a report
 * @param chunks            chunks the head split it into; -1 without a report
 * @param chunksDone        chunks the head counted as done, each once; -1 without a report
 * @param duplicates        results for chunks already counted, which the head dropped
 */
record LoadJob(LoadPhase.Kind phase, int client, int index, JobSpec spec, Outcome outcome, String status, String jobId,
               long submittedAtMicros, double roundTripMillis, double makespanMillis, long chunks, long chunksDone,
               long duplicates,
               long retries, long failedAttempts, String answer, String error) {

    /** How a job ended, as the load test counts it. */
    enum Outcome {
        /** COMPLETED with the expected answer, every chunk counted exactly once. */
        EXACT,
        /** COMPLETED, but with another answer or another count of chunks done: a chunk lost or counted twice. */
        WRONG,
        FAILED,
        /** The head refused it (with the head's limit grid.head.max-jobs reached, say): it never ran. */
        REJECTED,
        /** Its client heard nothing of its end before the phase's timeout, or the client died. */
        LOST
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads one {@code JOB {json}} line of a {@link LoadClient} that ran {@code specs}, and judges
     * the job against the answer {@code expected} holds for its spec.
     */
    static LoadJob judge(LoadPhase.Kind phase, int client, List<JobSpec> specs, String line,
                         Map<JobSpec, JsonNode> expected) throws Exception {
        JsonNode o = JSON.readTree(line.substring(LoadClient.JOB.length()));
        int index = o.get("job").asInt();
        if (index < 0 || index >= specs.size()) {
            throw new IllegalStateException("client " + client + " reported job " + index + " of " + specs.size() + ": " + line);
        }
        JobSpec spec = specs.get(index);
        String status = o.get("status").asText();
        long chunks = o.path("chunks").asLong(-1);
        long chunksDone = o.path("chunksDone").asLong(-1);
        JsonNode result = o.path("result");
        Outcome outcome = switch (status) {
            case "COMPLETED" -> chunksDone == spec.chunks() && chunks == spec.chunks()
                && ExpectedAnswer.normalized(result).equals(expected.get(spec)) ? Outcome.EXACT : Outcome.WRONG;
            case "FAILED", "CANCELLED" -> Outcome.FAILED;
            case "REJECTED" -> Outcome.REJECTED;
            default -> Outcome.LOST;
        };
        return new LoadJob(phase, client, index, spec, outcome, status,
            o.path("jobId").asText(null), o.get("submittedAtMicros").asLong(),
            o.has("roundTripMicros") ? o.get("roundTripMicros").asLong() / 1000.0 : Double.NaN,
            o.has("makespanMillis") ? o.get("makespanMillis").asDouble() : Double.NaN, chunks, chunksDone,
            o.path("duplicates").asLong(0), o.path("retries").asLong(0), o.path("failedAttempts").asLong(0),
            result.isMissingNode() || result.isNull() ? null : result.toString(), o.path("error").asText(null));
    }

    /** A job its client never reported on: the client died, or printed no line for it. */
    static LoadJob lost(LoadPhase.Kind phase, int client, int index, JobSpec spec, String why) {
        return new LoadJob(phase, client, index, spec, Outcome.LOST, LoadClient.NO_ANSWER, null, 0,
            Double.NaN, Double.NaN, -1, -1, 0, 0, 0, null, why);
    }

    /** When its client heard of its end, µs since the epoch; only for jobs that ended. */
    double endedAtMicros() {
        return submittedAtMicros + roundTripMillis * 1000;
    }
}
