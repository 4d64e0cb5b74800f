package org.pekkogrid.examples.mandelbrot;

import java.nio.file.Path;
import org.pekkogrid.workloads.Param;

/**
 * What part of the Mandelbrot set to draw, and how large: the job's parameters, bound from
 * {@code --param name=value}. A bad value fails here, at submit, with the message below.
 */
public record View(
    @Param(value = "image width in pixels", defaultValue = "800") int width,
    @Param(value = "image height in pixels", defaultValue = "600") int height,
    @Param(value = "iterations after which a point counts as inside the set", defaultValue = "1000") int maxIterations,
    @Param(value = "real part of the image's centre", defaultValue = "-0.5") double centerX,
    @Param(value = "imaginary part of the image's centre", defaultValue = "0") double centerY,
    @Param(value = "width of the image in the complex plane", defaultValue = "3") double span,
    @Param(value = "PNG file the head writes the picture to; none when left out", optional = true) Path output) {

    static final long MAX_PIXELS = 16L << 20;

    public View {
        if (width < 1 || height < 1) throw new IllegalArgumentException("width and height must be at least 1 pixel");
        if ((long) width * height > MAX_PIXELS) {
            throw new IllegalArgumentException("width x height must be at most " + MAX_PIXELS + " pixels, got "
                + (long) width * height);
        }
        if (maxIterations < 1 || maxIterations > 1_000_000) {
            throw new IllegalArgumentException("maxIterations must be 1 to 1000000, got " + maxIterations);
        }
        if (!(span > 0) || !Double.isFinite(span) || !Double.isFinite(centerX) || !Double.isFinite(centerY)) {
            throw new IllegalArgumentException("span must be above 0, and the centre finite");
        }
    }

    /** The point of the complex plane at the centre of pixel column {@code x}. */
    double re(int x) {
        return centerX + (x + 0.5 - width / 2.0) * span / width;
    }

    /** The point of the complex plane at the centre of pixel row {@code y} (rows grow downwards). */
    double im(int y) {
        return centerY - (y + 0.5 - height / 2.0) * span / width;
    }
}
