package org.pekkogrid.deploy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.pekkogrid.bench.ReportFiles;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobDetail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Follow a job submitted elsewhere (another terminal, `grid submit --detach`, the HTTP API) as "
        + "`grid submit` follows its own: its progress line, then its result and report; a job that already ended "
        + "prints its result at once. Exit status as for submit: 0 completed, 1 failed, 4 cancelled, 2 for a job "
        + "the head does not know. Ctrl-C stops watching; the job runs on.")
final class WatchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB", description = "The job's id, as `grid jobs` lists it.")
    String jobId;

    @Mixin
    NodeOptions node;

    @Option(names = "--json", description = "Print exactly one JSON object on stdout, as submit --json does.")
    boolean json;

    @Option(names = "--no-progress", description = "No progress line on stderr.")
    boolean noProgress;

    @Option(names = "--report", paramLabel = "DIR", description = "Write the job's report into DIR, as submit --report does.")
    Path reportDir;

    @Override
    public Integer call() throws Exception {
        if (reportDir != null) ReportFiles.prepare(reportDir);
        try (GridClient client = node.connect()) {
            Optional<JobDetail> found = client.job(jobId).toCompletableFuture().get(15, TimeUnit.SECONDS).job();
            if (found.isEmpty()) return unknown();
            JobResult r;
            try (ProgressLine progress = new ProgressLine(found.get().workload(), !noProgress);
                 TerminationSignals signals = new TerminationSignals(signal -> {
                     // The job runs on; the head stops sending its events here once the client says goodbye.
                     progress.close();
                     System.err.println("grid watch: SIG" + signal + ": stopped watching " + jobId + "; it runs on");
                     System.err.flush();
                     client.close();
                 })) {
                r = client.watch(jobId, JobSession.listener(progress, null)).result().toCompletableFuture().join();
                // Closing the client ended the watch: the exit status is the signal's, as if it had killed us.
                if (signals.received() != null) return 128 + new sun.misc.Signal(signals.received()).getNumber();
                progress.finish(r);
            }
            // Forgotten between the two questions: it ended longer ago than the head remembers.
            if (r.status() == JobResult.Status.REJECTED) return unknown();
            JobSession.print("grid watch", r, null, null, json, reportDir, System.out, System.err);
            return JobSession.exitStatus(r);
        }
    }

    private int unknown() throws Exception {
        String why = "no job \"" + jobId + "\": the head knows its queued and running jobs and the last finished ones "
            + "(grid.head.finished-jobs-kept); `grid jobs --all` lists them";
        if (json) {
            System.out.println(JobSession.JSON.writeValueAsString(JobSession.JSON.createObjectNode()
                .put("job", jobId).put("status", "UNKNOWN").put("error", why)));
            System.out.flush();
        }
        System.err.println("grid watch: " + why);
        System.err.flush();
        return GridMain.BAD_INPUT;
    }
}
