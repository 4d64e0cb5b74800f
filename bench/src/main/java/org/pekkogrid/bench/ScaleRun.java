package org.pekkogrid.bench;

import java.util.HashMap;
import java.util.Map;
import org.pekkogrid.protocol.JobReport;

/**
 * One measured job of the scale experiment, from its report and the head's CPU time.
 *
 * @param utilisation          busy time of all slots / (slots x makespan)
 * @param headCpuMillis        CPU time of the head's process from submit to the job's end (report included)
 * @param hostsCpuMillis       CPU time of the host JVMs of the simulated nodes meanwhile
 * @param firstDispatchAllMillis the latest of the slots' first dispatches, from the job's start
 * @param slotsUsed            slots that ran chunks of the job (the report's count over its nodes)
 * @param nodesUsed            nodes that ran chunks of the job
 * @param slotsSeen            slots whose chunks are among the report's rows: when fewer than
 *                             {@code slots}, {@code firstDispatchAllMillis} is a lower bound
 */
record ScaleRun(int nodes, int slots, int run, long chunks, long chunksDone, double makespanMillis,
                double utilisation, double headCpuMillis, double hostsCpuMillis, double chunksPerSecond,
                double firstDispatchAllMillis, int slotsUsed, int nodesUsed, int slotsSeen, int rows) {

    static ScaleRun of(int nodes, int slots, int run, long chunks, JobReport report, double headCpuMillis,
                       double hostsCpuMillis) {
        double busy = report.nodes().stream().mapToDouble(JobReport.NodeReport::busyMillis).sum();
        Map<String, Double> firstDispatch = new HashMap<>();
        for (JobReport.ChunkRow row : report.chunkRows()) {
            firstDispatch.merge(row.node() + "/" + row.slot(), row.dispatchedMillis(), Math::min);
        }
        double firstToAll = firstDispatch.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return new ScaleRun(nodes, slots, run, chunks, report.chunksDone(), report.makespanMillis(),
            busy / (slots * report.makespanMillis()), headCpuMillis, hostsCpuMillis, report.chunksPerSecond(), firstToAll,
            report.slots(), report.nodes().size(), firstDispatch.size(), report.chunkRows().size());
    }

    /** Head CPU per chunk, in microseconds. */
    double headCpuMicrosPerChunk() {
        return 1000 * headCpuMillis / chunksDone;
    }

    /** The head's CPU time over the makespan: the cores it kept busy, on average. */
    double headCores() {
        return headCpuMillis / makespanMillis;
    }

    double hostsCores() {
        return hostsCpuMillis / makespanMillis;
    }

    /** CPU of the simulated nodes per chunk, in microseconds. */
    double hostsCpuMicrosPerChunk() {
        return 1000 * hostsCpuMillis / chunksDone;
    }

    boolean everySlotSeen() {
        return slotsSeen >= slots;
    }
}
