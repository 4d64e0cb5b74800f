package org.pekkogrid.protocol;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/** This JVM's CPU and memory, as a node samples them for job reports and metrics. */
public final class ProcessResources {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessResources() {}

    /** A reading; CPU loads are 0..1 of all cores, negative when the JVM cannot say. */
    public record Reading(double processCpu, double systemCpu, long heapUsedBytes, long heapMaxBytes, long rssBytes) {}

    public static Reading read() {
        double process = -1;
        double system = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            process = os.getProcessCpuLoad();
            system = os.getCpuLoad();
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Reading(process, system, heap.getUsed(), heap.getMax(), residentBytes());
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
