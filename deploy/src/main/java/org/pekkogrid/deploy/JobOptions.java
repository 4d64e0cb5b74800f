package org.pekkogrid.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pekkogrid.bench.ReportFiles;
import org.pekkogrid.protocol.DurationText;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.protocol.Requirements;
import org.pekkogrid.workloads.Params;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options that describe a job and how to report it, shared by {@code run} and {@code submit}. */
final class JobOptions {

    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "The workload to run; `grid workloads` lists them.")
    String workload;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A workload parameter; repeat for several.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--chunks", paramLabel = "N",
        description = "Chunks to split the job into: 256, 1_000, 1e3 or 1k (default: the workload's choice).")
    String chunks;

    @Option(names = "--max-retries", paramLabel = "N", description = "Extra attempts for a failing chunk (default 3).")
    Integer maxRetries;

    @Option(names = "--chunk-timeout", paramLabel = "DURATION",
        description = "Re-dispatch a chunk running longer than this, such as 30s or 500ms (default 60s).")
    String chunkTimeout;

    @Option(names = "--require", paramLabel = "cpus=N,memory=SIZE,tags=T", description = "What each chunk needs from its node.")
    List<String> requires;

    @Option(names = "--json", description = "Print exactly one JSON object on stdout (logs go to stderr).")
    boolean json;

    @Option(names = "--baseline", description = "Also run the single-thread baseline in this JVM and report the speedup.")
    boolean baseline;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
        description = "Run the job N times from one client and report round-trip percentiles.")
    int repeat;

    @Option(names = "--warm-up-runs", paramLabel = "N",
        description = "With --repeat: runs before the measured ones (default: a tenth of N, at most 100).")
    Integer warmUpRuns;

    @Option(names = "--no-progress", description = "No progress line on stderr.")
    boolean noProgress;

    @Option(names = "--report", paramLabel = "DIR",
        description = "Write the report into DIR: report.json, report.md, chunks.csv, nodes.csv, queue.csv, "
            + "samples.csv and PNG plots (latency, node busy time, CPU, memory, queue).")
    java.nio.file.Path reportDir;

    @Option(names = "--timings", paramLabel = "FILE",
        description = "Stream every chunk's timings to this CSV file as the job runs (the report keeps the first 10,000).")
    java.nio.file.Path timings;

    JobSpec spec() {
        long chunkCount = chunks == null ? 0 : Params.wholeNumber("--chunks", chunks, 1);
        if (maxRetries != null && maxRetries < 0) throw new IllegalArgumentException("--max-retries cannot be negative, got " + maxRetries);
        if (repeat < 1) throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
        if (timings != null && repeat > 1) throw new IllegalArgumentException("--timings takes one run; drop --repeat");
        if (warmUpRuns != null && warmUpRuns < 0) throw new IllegalArgumentException("--warm-up-runs cannot be negative");
        if (reportDir != null) ReportFiles.prepare(reportDir);  // a bad directory is refused before the job runs
        Requirements req = Requirements.NONE;
        if (requires != null) for (String r : requires) req = req.and(Requirements.parse(r));
        return new JobSpec(workload, params, chunkCount, maxRetries,
            chunkTimeout == null ? null : DurationText.parsePositive(chunkTimeout, "--chunk-timeout"), req, timings != null);
    }

    int warmUps() {
        if (repeat <= 1) return 0;
        return warmUpRuns != null ? Math.min(warmUpRuns, repeat - 1) : Math.min(100, repeat / 10);
    }
}
