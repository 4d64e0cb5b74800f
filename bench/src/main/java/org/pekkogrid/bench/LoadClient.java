package org.pekkogrid.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobSpec;

/**
 * One client of {@code grid bench load}, a program in a JVM of its own:
 * {@code LoadClient JOBS_FILE TIMEOUT_SECONDS WARM_UP_JOBS SEED...}. It reads its jobs, connects,
 * runs its warm-up jobs (one-chunk noops, a few at a time, not reported: a long-running program's
 * client is compiled, a fresh JVM's is not), prints {@value #READY}, waits for {@value #GO} on
 * standard input (so that every client submits at the same moment), submits all its jobs at once,
 * and when all have ended (or the timeout passed) prints one line per job, {@code JOB {json}},
 * then exits.
 */
public final class LoadClient {

    static final String READY = "load client ready";
    static final String GO = "go";
    static final String JOB = "JOB ";
    /** The status of a job whose end the client did not hear of before its timeout. */
    static final String NO_ANSWER = "NO_ANSWER";

    /** Warm-up jobs in flight at once: ten clients warming up together stay within the head's 64 jobs. */
    static final int WARM_UP_IN_FLIGHT = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadClient() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: LoadClient JOBS_FILE TIMEOUT_SECONDS WARM_UP_JOBS SEED...");
            System.exit(2);
        }
        List<JobSpec> specs = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank()).map(LoadClient::parse).toList();
        Duration timeout = Duration.ofSeconds(Long.parseLong(args[1]));
        int warmUpJobs = Integer.parseInt(args[2]);
        String[] seeds = Arrays.copyOfRange(args, 3, args.length);
        try (GridClient grid = GridClient.connect(seeds)) {
            warmUp(grid, warmUpJobs);
            System.out.println(READY);
            System.out.flush();
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!GO.equals(line)) {
                System.err.println("load client: expected \"" + GO + "\" on stdin, got " + line + "; submitting nothing");
                System.exit(3);
            }
            List<Instant> submitted = new ArrayList<>();
            List<CompletableFuture<JobResult>> results = new ArrayList<>();
            for (JobSpec spec : specs) {
                submitted.add(Instant.now());
                results.add(grid.submit(spec).result().toCompletableFuture());
            }
            try {
                CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // the jobs still open are printed as NO_ANSWER
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < specs.size(); i++) {
                CompletableFuture<JobResult> r = results.get(i);
                JobResult result = r.isDone() ? r.join() : null;
                out.append(JOB).append(JSON.writeValueAsString(outcome(i, submitted.get(i), result))).append('\n');
            }
            System.out.print(out);
            System.out.flush();
        }
        System.exit(0);
    }

    /** Runs one-chunk noops, a few at a time; how they end does not matter (the head may be full). */
    private static void warmUp(GridClient grid, int jobs) throws Exception {
        Semaphore inFlight = new Semaphore(WARM_UP_IN_FLIGHT);
        List<CompletableFuture<JobResult>> results = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            inFlight.acquire();
            CompletableFuture<JobResult> r = grid.submit(LoadExperiment.ONE_CHUNK).result().toCompletableFuture();
            r.whenComplete((x, e) -> inFlight.release());
            results.add(r);
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    }

    /** What the bench needs of one job's end; {@code result} null when none came. */
    private static ObjectNode outcome(int index, Instant submitted, JobResult result) {
        ObjectNode o = JSON.createObjectNode();
        o.put("job", index);
        o.put("submittedAtMicros", ChronoUnit.MICROS.between(Instant.EPOCH, submitted));
        if (result == null) {
            o.put("status", NO_ANSWER);
            return o;
        }
        o.put("status", result.status().name());
        o.put("jobId", result.jobId());
        o.put("roundTripMicros", result.roundTripNanos() / 1000);
        o.set("result", result.result());
        o.put("error", result.error());
        JobReport report = result.report();
        if (report != null) {
            o.put("chunks", report.chunks());
            o.put("chunksDone", report.chunksDone());
            o.put("duplicates", report.duplicates());
            o.put("retries", report.retries());
            o.put("failedAttempts", report.failedAttempts());
            o.put("makespanMillis", report.makespanMillis());
        }
        return o;
    }

    /** A job as one line of the jobs file: {@code WORKLOAD CHUNKS [NAME=VALUE ...]}. */
    static String line(JobSpec spec) {
        StringBuilder s = new StringBuilder(spec.workload()).append(' ').append(spec.chunks());
        spec.params().forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        return s.toString();
    }

    static JobSpec parse(String line) {
        String[] words = line.trim().split("\\s+");
        if (words.length < 2) throw new IllegalArgumentException("a job line is WORKLOAD CHUNKS [NAME=VALUE ...], not: " + line);
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 2; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("a job parameter is NAME=VALUE, not \"" + words[i] + "\" in: " + line);
            params.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }
        return JobSpec.of(words[0]).withParams(params).withChunks(Long.parseLong(words[1]));
    }
}
