package org.pekkogrid.bench;

import java.time.Duration;
import java.util.List;

/** CPU time (user + system) processes have used so far, as the OS counts it (on Linux, /proc/PID/stat: 10 ms ticks). */
final class ProcessCpu {

    private ProcessCpu() {}

    static double millis(long pid) {
        Duration cpu = ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
            .orElseThrow(() -> new IllegalStateException("the OS does not tell the CPU time of process " + pid));
        return cpu.toNanos() / 1e6;
    }

    static double millis(List<Long> pids) {
        return pids.stream().mapToDouble(ProcessCpu::millis).sum();
    }
}
