package org.pekkogrid.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code grid bench EXPERIMENT}: runs the lab's experiments and writes {@code out/<experiment>/}
 * (CSV of every run, PNG plots, report.md); {@code all} runs every one and adds an overview,
 * {@code out/report.md}.
 */
public final class Bench {

    public static final String ALL = "all";

    /**
     * In the order {@code all} runs them: the ones on the shared grid first, then those of
     * processes started here; last those {@code all} leaves out ({@link Experiment#inAll()}).
     */
    static List<Experiment> experiments() {
        return List.of(new BaselineExperiment(), new ChunksExperiment(), new WorkersExperiment(),
            new ImagesExperiment(), new LatencyExperiment(), new ClusterExperiment(), new LoadExperiment(), new ScaleExperiment());
    }

    /** The names the command accepts. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(experiments().stream().map(Experiment::name).toList());
        names.add(ALL);
        return names;
    }

    private Bench() {}

    /** Runs one experiment, or all; returns what each found. */
    public static List<String> run(String experiment, BenchOptions options) throws Exception {
        return run(experiment, List.of(), options);
    }

    /** Runs one experiment, or all but those {@code skipped} names; returns what each found. */
    public static List<String> run(String experiment, List<String> skipped, BenchOptions options) throws Exception {
        List<Experiment> chosen = choose(experiment, skipped);
        Files.createDirectories(options.out());
        long total = chosen.stream().mapToLong(e -> e.runs(options)).sum();
        List<Findings> findings = new ArrayList<>();
        long started = System.nanoTime();
        try (Grids grids = new Grids(options);
             Progress progress = new Progress(total, options.progressBar(), options.log())) {
            for (Experiment e : chosen) {
                if (!e.usesSharedGrid()) grids.closeShared();
                Path dir = options.out().resolve(e.name());
                Files.createDirectories(dir);
                progress.note(e.name(), "starting; results go to " + dir);
                BenchContext context = new BenchContext(options, dir, grids, progress, Machine.current(), e.name());
                findings.add(e.run(context));
            }
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        if (chosen.size() > 1) Overview.write(options, findings, minutes);
        List<String> lines = new ArrayList<>();
        for (Findings f : findings) {
            lines.add(f.title() + " (" + options.out().resolve(f.experiment()).resolve("report.md") + ")");
            f.lines().stream().filter(l -> !l.isBlank()).forEach(l -> lines.add("  " + l.replace("**", "")));
        }
        lines.add(String.format(Locale.ROOT, "%d experiment%s in %.1f minutes", chosen.size(),
            chosen.size() == 1 ? "" : "s", minutes));
        return lines;
    }

    static List<Experiment> choose(String name) {
        if (ALL.equals(name)) return experiments().stream().filter(Experiment::inAll).toList();
        for (Experiment e : experiments()) if (e.name().equals(name)) return List.of(e);
        throw new IllegalArgumentException("unknown experiment \"" + name + "\"; known: " + String.join(", ", names()));
    }

    static List<Experiment> choose(String name, List<String> skipped) {
        for (String s : skipped) {
            if (s.equals(ALL) || !names().contains(s)) {
                throw new IllegalArgumentException("--skip \"" + s + "\" is not an experiment; known: "
                    + String.join(", ", experiments().stream().map(Experiment::name).toList()));
            }
        }
        List<Experiment> chosen = choose(name).stream().filter(e -> !skipped.contains(e.name())).toList();
        if (chosen.isEmpty()) throw new IllegalArgumentException("--skip leaves no experiment to run");
        return chosen;
    }
}
