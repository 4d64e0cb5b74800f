package org.pekkogrid.head;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The head's settings, from {@code grid.head} and {@code grid.job} in the config.
 *
 * @param maxChunks            most chunks one job may have
 * @param maxRetries           default extra attempts of a failing chunk
 * @param chunkTimeout         default time one chunk may run before it is re-dispatched
 * @param maxJobs              jobs running at once; more wait in the head's queue
 * @param progressInterval     how often a client hears of its job's progress
 * @param targetBatch          how long a batch should take on a slot, once chunk times are known
 * @param maxBatchChunks       most chunks in one batch
 * @param queuedWorkPerSlot    work a slot may hold beyond two batches, for slots running short chunks
 * @param noWorkerTimeout      how long a job waits for a worker able to run it before it fails
 * @param retryElsewhereFor    how long a failed chunk waits for a node other than the one it failed on
 * @param wakeInterval         how often the coordinator wakes slots that have not registered
 * @param finishedJobsKept     finished jobs listed by status
 * @param reportsKept          finished jobs whose full report the head keeps for {@code GET /jobs/{id}}
 * @param resultBytesPerBatch  target size of a batch's results on the wire
 * @param sampleInterval       how often nodes report CPU and memory to a running job
 * @param chunkRows            per-chunk rows a job report keeps (stream them all with --timings)
 * @param clientTimeout        how long a client outside the cluster may stay silent before its jobs are cancelled
 * @param foldBacklogBytes     results of one job waiting for its fold beyond which the job takes no more credit
 * @param speculation          when idle slots run second copies of slow chunks near a job's end
 * @param batchDeadlineMargin  what a batch's deadline allows beyond the chunk timeout of its chunks
 * @param dropBatches          for tests of batch deadlines only: each job's first this many batches are
 *                             "sent" nowhere, as if lost on the wire
 * @param maxQueuedJobs        jobs waiting to start; more are rejected
 * @param maxJobsPerClient     jobs one client may have running or waiting; 0 for no limit
 * @param maxRunningJobsPerClient jobs of one client running at once; 0 for no limit but maxJobs
 * @param queuedJobsListed     queued jobs that status lists (first in line first)
 */
public record HeadSettings(long maxChunks, int maxRetries, Duration chunkTimeout, int maxJobs,
                           Duration progressInterval, Duration targetBatch, int maxBatchChunks,
                           Duration queuedWorkPerSlot, Duration noWorkerTimeout, Duration retryElsewhereFor,
                           Duration wakeInterval, int finishedJobsKept, int reportsKept, long resultBytesPerBatch,
                           Duration sampleInterval, int chunkRows, Duration clientTimeout, long foldBacklogBytes,
                           Speculation speculation, Duration batchDeadlineMargin, int dropBatches,
                           int maxQueuedJobs, int maxJobsPerClient, int maxRunningJobsPerClient,
                           int queuedJobsListed) {

    /**
     * Speculative execution: once a job has nothing left to dispatch, a slot with nothing of it
     * runs a second copy of the batch most past {@code slowerThan} times its expected time (and
     * at least {@code after}); the first result counts, the other is a duplicate.
     */
    public record Speculation(boolean enabled, double slowerThan, Duration after) {

        public static Speculation from(Config c) {
            double slowerThan = c.getDouble("slower-than");
            if (slowerThan < 1) throw new IllegalArgumentException("grid.job.speculation.slower-than must be at least 1, got " + slowerThan);
            return new Speculation(c.getBoolean("enabled"), slowerThan, c.getDuration("after"));
        }
    }

    public static HeadSettings from(Config config) {
        Config job = config.getConfig("grid.job");
        Config head = config.getConfig("grid.head");
        return new HeadSettings(
            job.getLong("max-chunks"),
            job.getInt("max-retries"),
            job.getDuration("chunk-timeout"),
            head.getInt("max-jobs"),
            head.getDuration("progress-interval"),
            head.getDuration("target-batch-duration"),
            head.getInt("max-batch-chunks"),
            head.getDuration("queued-work-per-slot"),
            job.getDuration("no-worker-timeout"),
            job.getDuration("retry-elsewhere-for"),
            head.getDuration("wake-interval"),
            head.getInt("finished-jobs-kept"),
            head.getInt("reports-kept"),
            head.getBytes("result-bytes-per-batch"),
            head.getDuration("report.sample-interval"),
            head.getInt("report.chunk-rows"),
            head.getDuration("client-timeout"),
            head.getBytes("fold-backlog"),
            Speculation.from(job.getConfig("speculation")),
            job.getDuration("batch-deadline-margin"),
            head.hasPath("testing.drop-batches") ? head.getInt("testing.drop-batches") : 0,
            head.getInt("max-queued-jobs"),
            head.getInt("max-jobs-per-client"),
            head.getInt("max-running-jobs-per-client"),
            head.getInt("queued-jobs-listed"));
    }
}
