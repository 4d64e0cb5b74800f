package org.pekkogrid.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.pekkogrid.workloads.grayscale.ImageGenerator;

/**
 * Generated test images for the grayscale runs, kept in a cache directory and reused: 500
 * photo-like 1080p images take about a minute to write, far longer than a --quick run.
 *
 * @param dir     the images (and the broken files among them)
 * @param good    images that decode
 * @param corrupt broken files: truncated, empty, not an image
 */
record ImageSet(Path dir, int good, int corrupt, int width, int height) {

    /** Hidden, so the workload does not list it; written last, so a half-written set is redone. */
    private static final String COMPLETE = ".complete";
    private static final long SEED = 1;

    /** The set the experiments share: 500 photo-like 1080p images with 25 broken files among them. */
    static ImageSet standard(BenchContext context) throws IOException {
        return context.quick() ? small(context)
            : cached(context.cache(), 500, 25, 1920, 1080, context.progress(), context.name());
    }

    /** A few small images with broken ones among them: for --quick, and to warm up on. */
    static ImageSet small(BenchContext context) throws IOException {
        return cached(context.cache(), 12, 4, 320, 240, context.progress(), context.name());
    }

    int total() {
        return good + corrupt;
    }

    static ImageSet cached(Path cacheRoot, int good, int corrupt, int width, int height, Progress progress,
                           String experiment) throws IOException {
        String name = String.format(Locale.ROOT, "images-%d-good-%d-corrupt-%dx%d-seed%d", good, corrupt, width, height, SEED);
        Path dir = cacheRoot.resolve(name);
        ImageSet set = new ImageSet(dir, good, corrupt, width, height);
        if (Files.exists(dir.resolve(COMPLETE))) return set;
        progress.note(experiment, "generating " + good + " images of " + width + "x" + height + " and " + corrupt
            + " broken files into " + dir + " (once; later runs reuse them)");
        SequentialRun.deleteTree(dir);
        ImageGenerator.generate(dir, good, width, height, corrupt, SEED);
        Files.writeString(dir.resolve(COMPLETE), name + "\n");
        return set;
    }
}
