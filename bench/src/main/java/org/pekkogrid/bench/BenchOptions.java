package org.pekkogrid.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code grid bench} was asked to run.
 *
 * @param out          results go to {@code out/<experiment>/}
 * @param quick        small sizes: every experiment in seconds (CI runs this)
 * @param repeat       measured runs per point; the report gives their median and min–max
 * @param seeds        an existing grid to measure ({@code host:port}); empty for grids started here
 * @param progressBar  draw a progress bar (on a terminal); otherwise one line per run
 * @param log          where progress and notes go (stderr)
 * @param gridSettings settings ({@code grid.head.max-jobs} → {@code 2000}) for the head and worker
 *                     JVMs the bench starts; they override the nodes' defaults and are named in the reports
 * @param load         the size of the {@code load} experiment
 * @param clientSettings settings of the client that reaches the grid at {@code seeds}: its TLS (--tls)
 */
public record BenchOptions(Path out, boolean quick, int repeat, List<String> seeds, boolean progressBar,
                           PrintStream log, Map<String, String> gridSettings, LoadSize load,
                           Map<String, Object> clientSettings) {

    public BenchOptions {
        if (out == null) throw new IllegalArgumentException("--out: give a directory for the results");
        if (repeat < 1) throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
        if (repeat > 1000) throw new IllegalArgumentException("--repeat must be at most 1000, got " + repeat);
        seeds = List.copyOf(seeds == null ? List.of() : seeds);
        if (log == null) log = System.err;
        gridSettings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(gridSettings == null ? Map.of()
            : gridSettings));
        for (String key : gridSettings.keySet()) {
            if (key.isBlank() || key.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("--grid-setting \"" + key + "\" is not a setting's path (such as "
                    + "grid.head.max-jobs)");
            }
        }
        if (load == null) load = LoadSize.defaults(quick);
        clientSettings = Map.copyOf(clientSettings == null ? Map.of() : clientSettings);
    }

    public BenchOptions(Path out, boolean quick, int repeat, List<String> seeds, boolean progressBar, PrintStream log) {
        this(out, quick, repeat, seeds, progressBar, log, Map.of(), null, Map.of());
    }

    public boolean remote() {
        return !seeds.isEmpty();
    }

    /** A client of the grid at --seed, with its TLS when given. */
    org.pekkogrid.client.GridClient connect() {
        Map<String, Object> settings = new java.util.HashMap<>(clientSettings);
        settings.put("grid.seeds", seeds);
        return org.pekkogrid.client.GridClient.connect(com.typesafe.config.ConfigFactory.parseMap(settings)
            .withFallback(org.pekkogrid.protocol.GridConfig.defaults()));
    }

    /** The grid settings as JVM options of the nodes the bench starts: {@code -Dgrid.head.max-jobs=2000}. */
    List<String> gridJvmOptions() {
        return gridSettings.entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList();
    }

    /** The grid settings as a report states them: none, or {@code grid.head.max-jobs=2000, ...}. */
    String describeGridSettings() {
        if (gridSettings.isEmpty()) return "none (the nodes' defaults)";
        return String.join(", ", gridSettings.entrySet().stream().map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
            .toList());
    }
}
