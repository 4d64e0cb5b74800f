package org.pekkogrid.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a measurement ran on, as a report must say: figures from a 2-core laptop and a
 * 64-core server are different results.
 *
 * @param loadAverage the 1-minute load average when this was read; -1 where the OS does not say.
 *                    Above zero on an idle grid it means other programs shared the cores.
 */
public record Machine(int cores, String cpu, String jvm, long maxHeapBytes, String os, double loadAverage) {

    public static Machine current() {
        Runtime rt = Runtime.getRuntime();
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version",
            System.getProperty("java.version")) + " (" + System.getProperty("java.vendor") + ")";
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch");
        return new Machine(rt.availableProcessors(), cpuModel(), jvm, rt.maxMemory(), os,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** A markdown table, for the "Machine" section of a report. */
    public String markdown() {
        Markdown md = new Markdown();
        md.facts(List.of(
            List.of("cores (available processors)", String.valueOf(cores)),
            List.of("CPU", cpu),
            List.of("JVM", jvm),
            List.of("max heap of this JVM", Figures.bytes(maxHeapBytes)),
            List.of("OS", os),
            List.of("load average (1 min) when measured",
                loadAverage < 0 ? "not reported" : String.format(Locale.ROOT, "%.2f", loadAverage))));
        return md.toString();
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try {
                for (String line : Files.readAllLines(cpuinfo)) {
                    if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
                }
            } catch (IOException e) {
                // fall through: the model is a nicety
            }
        }
        return System.getProperty("os.arch");
    }
}
