package org.pekkogrid.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.knowm.xchart.CategoryChart;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.JobSpec;

/**
 * Grayscale throughput over generated images with broken files mixed in: the broken ones must
 * come back as failed items, and nothing else may be lost (ok + failed + skipped = images,
 * and every ok image has its output on disk).
 */
final class ImagesExperiment implements Experiment {

    static final String WORKLOAD = "grayscale";

    /**
     * Inline chunks carry at most this many input bytes: a 1080p PNG is ~3.5 MB, above the
     * workload's 1 MiB default; with its output it stays inside Artery's 8 MiB large frame.
     */
    static final String INLINE_CHUNK_BYTES = "4m";

    /** How the grid gets the images: workers read a shared directory, or the head ships the bytes. */
    enum Mode {
        PATHS("paths (shared directory)", false),
        INLINE("inline (bytes inside chunks)", true);

        final String label;
        final boolean inline;

        Mode(String label, boolean inline) {
            this.label = label;
            this.inline = inline;
        }
    }

    /** One grid run's count of what became of the images. */
    record Tally(long images, long ok, long failed, long skipped, long failedInReport, long outputsOnDisk) {
        long lost() {
            return images - ok - failed - skipped;
        }

        /** "ok", or what does not add up. */
        String check(ImageSet set) {
            List<String> wrong = new ArrayList<>();
            if (images != set.total()) wrong.add(images + " images listed, " + set.total() + " generated");
            if (lost() != 0) wrong.add(lost() + " lost (ok + failed + skipped != images)");
            if (failed != set.corrupt()) wrong.add(failed + " failed, " + set.corrupt() + " broken files generated");
            if (failedInReport != failed) wrong.add("the job report counts " + failedInReport + " failed items");
            if (outputsOnDisk != ok) wrong.add(outputsOnDisk + " outputs on disk for " + ok + " ok");
            return wrong.isEmpty() ? "ok" : String.join("; ", wrong);
        }
    }

    record Point(String label, List<Double> imagesPerSecond, List<String> checks) {
        Spread throughput() {
            return Spread.of(imagesPerSecond);
        }
    }

    @Override
    public String name() {
        return "images";
    }

    @Override
    public int runs(BenchOptions options) {
        return (1 + Mode.values().length) * options.repeat();
    }

    @Override
    public Findings run(BenchContext context) throws Exception {
        ImageSet images = ImageSet.standard(context);
        ImageSet warmUpImages = ImageSet.small(context);
        GridClient grid = context.grids().shared();
        Path output = Files.createTempDirectory("grid-bench-images-");
        List<Point> points = new ArrayList<>();
        GridRun medianPathsRun = null;
        try (CsvFile runs = CsvFile.create(context.dir().resolve("runs.csv"), "mode", "run", "ms", "images", "ok",
                "failed", "skipped", "lost", "images_per_s", "failed_items_in_report", "outputs_on_disk", "check")) {
            List<Double> sequentialRates = new ArrayList<>();
            SequentialRun.repeated(context, WORKLOAD, BaselineCases.grayscale(images, output),
                BaselineCases.grayscale(warmUpImages, output), (s, run) -> {
                    double rate = images.total() / (s.millis() / 1000);
                    sequentialRates.add(rate);
                    runs.row("sequential", run, s.millis(), images.total(), null, null, null, null, rate, null, null, null);
                });
            points.add(new Point("sequential (one thread)", sequentialRates, List.of()));
            for (Mode mode : Mode.values()) {
                context.note(mode.label + ": warming up");
                GridRun.of(grid, spec(warmUpImages, output, mode));
                List<Double> rates = new ArrayList<>();
                List<String> checks = new ArrayList<>();
                List<GridRun> done = new ArrayList<>();
                for (int run = 1; run <= context.repeat(); run++) {
                    SequentialRun.deleteTree(output);  // so the outputs counted are this run's
                    GridRun g = GridRun.of(grid, spec(images, output, mode));
                    Tally t = tally(g, output);
                    double rate = t.images() / (g.makespanMillis() / 1000);
                    String check = t.check(images);
                    rates.add(rate);
                    checks.add(check);
                    done.add(g);
                    runs.row(mode.name().toLowerCase(Locale.ROOT), run, g.makespanMillis(), t.images(), t.ok(), t.failed(),
                        t.skipped(), t.lost(), rate, t.failedInReport(), t.outputsOnDisk(), check);
                    context.step(String.format(Locale.ROOT, "%s run %d: %s images/s, %d ok, %d failed, check %s",
                        mode.name().toLowerCase(Locale.ROOT), run, Figures.amount(rate), t.ok(), t.failed(), check));
                }
                points.add(new Point("grid, " + mode.label, rates, checks));
                if (mode == Mode.PATHS) {
                    done.sort(java.util.Comparator.comparingDouble(GridRun::makespanMillis));
                    medianPathsRun = done.get(done.size() / 2);
                }
            }
        } finally {
            SequentialRun.deleteTree(output);
        }
        ReportFiles.write(medianPathsRun.result(), medianPathsRun.report(), context.dir().resolve("job-report"));
        plot(context, points);
        boolean allOk = points.stream().allMatch(p -> p.checks().stream().allMatch("ok"::equals));
        report(context, points, images, allOk);
        return new Findings(name(), "Image throughput with broken files", List.of(headline(points, images, allOk)));
    }

    private static JobSpec spec(ImageSet images, Path output, Mode mode) {
        Map<String, String> params = new java.util.LinkedHashMap<>(BaselineCases.grayscale(images, output));
        params.put("inline", String.valueOf(mode.inline));
        if (mode.inline) params.put("inlineChunkBytes", INLINE_CHUNK_BYTES);
        return JobSpec.of(WORKLOAD).withParams(params);
    }

    private static Tally tally(GridRun g, Path output) throws IOException {
        JsonNode r = g.result().result();
        long onDisk;
        try (Stream<Path> files = Files.exists(output) ? Files.list(output) : Stream.empty()) {
            onDisk = files.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)).count();
        }
        return new Tally(r.path("images").asLong(-1), r.path("ok").asLong(-1), r.path("failed").asLong(-1),
            r.path("skipped").asLong(-1), g.report().failedItems(), onDisk);
    }

    private static void plot(BenchContext context, List<Point> points) throws Exception {
        CategoryChart chart = Charts.bars("grayscale throughput (median of " + context.repeat() + ")", "",
            "images per second");
        chart.addSeries("images/s", points.stream().map(Point::label).toList(),
            points.stream().map(p -> p.throughput().median()).toList());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(0);
        Charts.save(chart, context.dir().resolve("throughput.png"));
    }

    private static String headline(List<Point> points, ImageSet images, boolean allOk) {
        Point sequential = points.get(0);
        StringBuilder b = new StringBuilder("grayscale over " + images.good() + " images + " + images.corrupt()
            + " broken files: ");
        for (int i = 1; i < points.size(); i++) {
            Point p = points.get(i);
            if (i > 1) b.append("; ");
            b.append(p.label()).append(' ').append(Figures.amount(p.throughput().median())).append(" images/s (")
                .append(Figures.ratio(p.throughput().median() / sequential.throughput().median())).append("× sequential)");
        }
        b.append("; sequential ").append(Figures.amount(sequential.throughput().median())).append(" images/s. ");
        b.append(allOk ? "Every run: the " + images.corrupt() + " broken files failed as items, every other image "
            + "was written, nothing lost." : "**Some runs lost or miscounted images: see the check column.**");
        return b.toString();
    }

    private static void report(BenchContext context, List<Point> points, ImageSet images, boolean allOk)
            throws Exception {
        Markdown md = new Markdown();
        md.heading(1, "Image throughput with broken files mixed in");
        md.paragraph("The grayscale workload (decode, convert to gray, encode, write) over " + images.good()
            + " generated photo-like " + images.width() + "x" + images.height() + " images (every 10th a PNG, the rest "
            + "JPEGs) with " + images.corrupt() + " broken files spread among them: truncated JPEGs and PNGs, empty "
            + "files, text files named as images. A broken file must come back as a failed item while the job goes on.");
        md.paragraph("**" + headline(points, images, allOk) + "**");
        List<List<String>> rows = new ArrayList<>();
        for (Point p : points) {
            rows.add(List.of(p.label(), Figures.spread(p.throughput(), Figures::amount),
                Figures.ratio(p.throughput().median() / points.get(0).throughput().median()),
                p.checks().isEmpty() ? "" : p.checks().stream().allMatch("ok"::equals) ? "all ok"
                    : String.join(" / ", p.checks())));
        }
        md.table(List.of("", "images/s", "× sequential", "nothing lost? (" + context.repeat() + " runs)"), rows);
        md.image("throughput", "throughput.png");
        md.paragraph("The grid run with the median makespan in paths mode has its full job report in "
            + "[job-report/report.md](job-report/report.md): per-node busy time, CPU and memory over time, the queue, "
            + "and the failed items.");
        md.heading(2, "Method");
        md.paragraph(context.method(context.grids().remote() ? "the grid at --seed (its workers must see "
            + images.dir() + " for paths mode)" : "embedded in the bench JVM: a head and one worker node with "
            + Grids.processors() + " slots"));
        md.bullets(List.of(
            "Images/s counts every input, broken ones included: " + images.total() + " / makespan.",
            "Before each grid run the output directory is emptied, so `outputs_on_disk` counts that run's files.",
            "The check, per run: images listed = generated; ok + failed + skipped = images; failed = broken files "
                + "generated; the job report's failed items = failed; outputs on disk = ok.",
            "Paths mode: workers read the input directory themselves (a shared filesystem, here the same disk). "
                + "Inline mode: the head reads the images into the chunks and writes the outputs that come back, "
                + "so workers need no shared filesystem; the bytes cross Artery both ways (`inlineChunkBytes="
                + INLINE_CHUNK_BYTES + "`: a 1080p PNG is ~3.5 MB).",
            "Sequential: the workload's single-thread run in the bench JVM, reading and writing files directly.",
            "The images are generated once into `" + context.cache().relativize(images.dir()) + "` under the cache "
                + "directory and reused; every run is in `runs.csv`."));
        md.heading(2, "Machine");
        md.append(context.machine().markdown());
        md.write(context.dir().resolve("report.md"));
    }
}
