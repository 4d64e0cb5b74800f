package org.pekkogrid.protocol;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JVM's CPU and memory, as a node samples them for job reports and metrics.
 *
 * <p>One reading serves every caller for {@link #SHARED_FOR_NANOS}: each running job's runner
 * and the node's sampler all ask four times a second, and a fresh reading costs about a
 * millisecond of CPU in a container (the JVM's own CPU loads read several cgroup files each
 * time), which the cores would otherwise take from the chunks.
 */
public final class ProcessResources {

    private static final Path STATUS = Path.of("/proc/self/status");
    static final long SHARED_FOR_NANOS = 200_000_000L;

    private static Timed last;

    private static final String PROCESS = ManagementFactory.getRuntimeMXBean().getName();

    private ProcessResources() {}

    /**
     * This JVM, as {@code pid@host}: nodes that report the same one share a process (an
     * embedded grid's head and workers), and so its CPU and memory.
     */
    public static String process() {
        return PROCESS;
    }

    /** A reading; CPU loads are 0..1 of all cores, negative when the JVM cannot say. */
    public record Reading(double processCpu, double systemCpu, long heapUsedBytes, long heapMaxBytes, long rssBytes) {}

    private record Timed(long atNanos, long cpuNanos, Reading reading) {}

    /** A reading at most {@link #SHARED_FOR_NANOS} old. */
    public static synchronized Reading read() {
        long now = System.nanoTime();
        if (last != null && now - last.atNanos() < SHARED_FOR_NANOS) return last.reading();
        double process = -1;
        double system = -1;
        long cpuNanos = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            cpuNanos = os.getProcessCpuTime();
            system = os.getCpuLoad();
            // The JVM's own getProcessCpuLoad costs as much as getCpuLoad; the CPU time costs microseconds.
            if (last != null && last.cpuNanos() >= 0 && cpuNanos >= 0) {
                int cores = Runtime.getRuntime().availableProcessors();
                process = Math.min(1.0, (double) (cpuNanos - last.cpuNanos()) / ((now - last.atNanos()) * (double) cores));
            } else {
                process = os.getProcessCpuLoad();
            }
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Reading reading = new Reading(process, system, heap.getUsed(), heap.getMax(), residentBytes());
        last = new Timed(now, cpuNanos, reading);
        return reading;
    }

    /** Resident set size from /proc (Linux); -1 elsewhere. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;  // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no procfs: say so with -1
        }
        return -1;
    }
}
