package org.pekkogrid.examples.mandelbrot;

import java.util.zip.CRC32;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.Range;
import org.pekkogrid.workloads.Workload;

/**
 * Draws the Mandelbrot set: each chunk computes a band of rows on a worker, the head pastes the
 * bands into the picture as they arrive and writes it as a PNG ({@code --param output=...}).
 *
 * <pre>
 * grid submit --seed 127.0.0.1:2551 --jar target/mandelbrot-1.0.jar mandelbrot \
 *     --param width=1600 --param height=1200 --param output=/tmp/mandelbrot.png --baseline
 * </pre>
 */
public final class Mandelbrot implements Workload<View, Rows, Band, Picture> {

    /** Told apart in the answer, so that two versions of this class can be seen running side by side. */
    static final int VERSION = 1;

    @Override
    public String name() {
        return "mandelbrot";
    }

    @Override
    public String description() {
        return "draws the Mandelbrot set into a PNG, a band of rows per chunk (example, version " + VERSION + ")";
    }

    @Override
    public Class<View> paramsType() {
        return View.class;
    }

    @Override
    public Class<Band> resultType() {
        return Band.class;
    }

    /** Bands of about 8 rows: enough chunks to spread, each worth a round trip. */
    @Override
    public long defaultChunks(View view) {
        return Math.max(1, view.height() / 8);
    }

    @Override
    public ChunkSource<Rows> split(View view, long chunks) {
        return Range.split(view.height(), chunks, "rows")
            .map(r -> new Rows(view, (int) r.start(), (int) r.size()));
    }

    @Override
    public Band run(Rows rows, ChunkContext ctx) {
        Band band = Kernel.band(rows);
        ctx.items(band.shades().length);
        return band;
    }

    @Override
    public Aggregator<Band, Picture> aggregator(View view, long chunks) {
        return new Canvas(view, VERSION);
    }

    /** The baseline ({@code --baseline}) draws the same picture, into scratch rather than over the job's. */
    @Override
    public View baselineParams(View view, java.nio.file.Path scratch) {
        if (view.output() == null) return view;
        return new View(view.width(), view.height(), view.maxIterations(), view.centerX(), view.centerY(), view.span(),
            scratch.resolve("mandelbrot.png"));
    }

    @Override
    public Picture runSequential(View view) {
        Canvas canvas = new Canvas(view, VERSION);
        canvas.add(0, Kernel.band(new Rows(view, 0, view.height())));
        return canvas.result();
    }

    @Override
    public String summarize(View view, Picture p) {
        return p.width() + "x" + p.height() + ": " + p.insidePixels() + " pixels inside the set, "
            + p.iterations() + " iterations" + (p.png() == null ? "" : ", written to " + p.png())
            + " (version " + p.version() + ")";
    }

    static long crc(byte[] shades) {
        CRC32 crc = new CRC32();
        crc.update(shades);
        return crc.getValue();
    }
}
