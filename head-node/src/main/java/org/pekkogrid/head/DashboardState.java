package org.pekkogrid.head;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.AddressFromURIString;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.protocol.RunnerCommand;

/**
 * What the dashboard shows, folded from what the head hears: the coordinator's status once a
 * tick, the progress of the running jobs, the nodes' samples (CPU, memory, slots busy). Aggregates only:
 * one row per member and per job, whatever the number of chunks. Its {@link #toJson} is one tick
 * of {@code /v1/dashboard/events}.
 */
final class DashboardState {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A node's sample older than this is not shown: the node stopped sampling, or left. */
    static final long SAMPLE_FRESH_MILLIS = 5_000;
    /** Weight of the newest tick in a job's chunks/s: smooths the steps of batched results. */
    static final double RATE_WEIGHT = 0.5;

    /** What the status rows do not say about a job: its rate, retries and failures. */
    private static final class JobFigures {
        long lastDone = -1;
        long lastRunMillis;
        double chunksPerSecond;
        Long retries;
        Long failedItems;
        Long failedChunks;
    }

    private record Sample(RunnerCommand.NodeSample sample, long atMillis) {}

    private ClusterStatus status = new ClusterStatus(List.of(), List.of(), 0);
    private final Map<String, JobFigures> jobs = new HashMap<>();
    private final Map<String, Sample> samples = new HashMap<>();

    /** The coordinator's view now: members and jobs. */
    void status(ClusterStatus now) {
        status = now;
        Set<String> listed = new HashSet<>();
        for (ClusterStatus.Job job : now.jobs()) {
            listed.add(job.job());
            JobFigures f = jobs.computeIfAbsent(job.job(), id -> new JobFigures());
            if (job.state().equals("RUNNING")) {
                long deltaMillis = job.runMillis() - f.lastRunMillis;
                if (f.lastDone >= 0 && deltaMillis > 0) {
                    double rate = (job.chunksDone() - f.lastDone) * 1000.0 / deltaMillis;
                    f.chunksPerSecond = f.chunksPerSecond == 0 ? rate
                        : RATE_WEIGHT * rate + (1 - RATE_WEIGHT) * f.chunksPerSecond;
                }
                f.lastDone = job.chunksDone();
                f.lastRunMillis = job.runMillis();
            } else if (!job.state().equals("QUEUED")) {
                // Finished: the mean over its run, as its report gives it.
                f.chunksPerSecond = job.runMillis() > 0 ? job.chunksDone() * 1000.0 / job.runMillis() : 0;
            }
        }
        jobs.keySet().retainAll(listed);
    }

    /** A running job's progress, from its runner: its retries and failed items so far. */
    void progress(JobEvent.Progress progress) {
        JobFigures f = jobs.computeIfAbsent(progress.jobId(), id -> new JobFigures());
        f.retries = progress.retries();
        f.failedItems = progress.failedItems();
    }

    /** A job ended with this report (null for a job cancelled while queued). */
    void ended(String jobId, JobReport report) {
        if (report == null) return;
        JobFigures f = jobs.computeIfAbsent(jobId, id -> new JobFigures());
        f.retries = report.retries();
        f.failedItems = report.failedItems();
        f.failedChunks = report.failedChunks();
    }

    void sample(RunnerCommand.NodeSample sample, long nowMillis) {
        samples.put(sample.node(), new Sample(sample, nowMillis));
    }

    /** Finished jobs whose retries and failures are not known here: they ended between two ticks, or before this head looked. */
    List<String> finishedWithoutFigures() {
        return status.jobs().stream()
            .filter(j -> !j.state().equals("RUNNING") && !j.state().equals("QUEUED"))
            .filter(j -> jobs.get(j.job()) == null || jobs.get(j.job()).retries == null)
            .map(ClusterStatus.Job::job).toList();
    }

    /** Every job the last status listed. */
    List<String> listedJobs() {
        return status.jobs().stream().map(ClusterStatus.Job::job).toList();
    }

    /** The jobs running now, as of the last status. */
    List<String> runningJobs() {
        return status.jobs().stream().filter(j -> j.state().equals("RUNNING")).map(ClusterStatus.Job::job).toList();
    }

    /**
     * One tick of the dashboard.
     *
     * @param coordinatorHead the head that holds the coordinator (the oldest head), or null when none is up
     * @param self            the address of the head that serves this dashboard, and its own sample
     */
    ObjectNode toJson(long nowMillis, String coordinatorHead, String self, RunnerCommand.NodeSample selfSample) {
        ObjectNode tick = JSON.createObjectNode();
        tick.put("atMillis", nowMillis);
        tick.put("coordinator", coordinatorHead);
        tick.put("servedBy", self);
        ArrayNode members = tick.putArray("members");
        for (ClusterStatus.Member m : status.members()) {
            ObjectNode o = members.addObject();
            String node = hostPort(m.address());
            o.put("address", node);
            ArrayNode roles = o.putArray("roles");
            m.roles().stream().sorted().forEach(roles::add);
            o.put("status", m.status());
            o.put("reachable", m.reachable());
            o.put("coordinator", m.address().equals(coordinatorHead));
            o.put("cores", m.cores());
            o.put("slots", m.slots());
            ArrayNode tags = o.putArray("tags");
            m.tags().stream().sorted().forEach(tags::add);
            if (m.logFile() != null) o.put("logFile", m.logFile());
            RunnerCommand.NodeSample s = freshSample(node, nowMillis);
            if (s == null && m.address().equals(self)) s = selfSample;
            if (s != null) {
                o.put("cpu", s.processCpu());
                o.put("systemCpu", s.systemCpu());
                o.put("heapUsedBytes", s.heapUsedBytes());
                o.put("heapMaxBytes", s.heapMaxBytes());
                o.put("rssBytes", s.rssBytes());
                if (s.slotsBusy() != null) o.put("slotsBusy", s.slotsBusy());
                // Nodes of one JVM (an embedded grid) read the same CPU and memory: the page says so.
                if (s.process() != null) o.put("process", s.process());
            }
        }
        ArrayNode rows = tick.putArray("jobs");
        for (ClusterStatus.Job j : status.jobs()) {
            JobFigures f = jobs.getOrDefault(j.job(), new JobFigures());
            ObjectNode o = rows.addObject();
            o.put("job", j.job());
            o.put("workload", j.workload());
            o.put("state", j.state());
            o.put("chunksDone", j.chunksDone());
            o.put("chunksTotal", j.chunksTotal());
            o.put("queuePosition", j.queuePosition());
            o.put("acceptedAtMillis", j.acceptedAtMillis());
            o.put("runMillis", j.runMillis());
            if (j.client() != null) o.put("client", j.client());
            o.put("chunksPerSecond", f.chunksPerSecond);
            if (j.state().equals("RUNNING") && f.chunksPerSecond > 0) {
                o.put("etaSeconds", (j.chunksTotal() - j.chunksDone()) / f.chunksPerSecond);
            }
            if (f.retries != null) o.put("retries", f.retries);
            if (f.failedItems != null) o.put("failedItems", f.failedItems);
            if (f.failedChunks != null) o.put("failedChunks", f.failedChunks);
        }
        tick.put("queued", status.queuedJobs());
        return tick;
    }

    /** {@code host:port} of a member's address, as samples name their node. */
    private static String hostPort(String address) {
        try {
            return NodeAddress.of(AddressFromURIString.parse(address));
        } catch (RuntimeException e) {
            return address;
        }
    }

    private RunnerCommand.NodeSample freshSample(String node, long nowMillis) {
        Sample s = samples.get(node);
        return s == null || nowMillis - s.atMillis() > SAMPLE_FRESH_MILLIS ? null : s.sample();
    }
}
