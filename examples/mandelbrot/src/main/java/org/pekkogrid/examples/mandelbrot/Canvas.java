package org.pekkogrid.examples.mandelbrot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.pekkogrid.workloads.Aggregator;

/** The picture on the head: each band pasted in as it arrives, in any order; the PNG written at the end. */
final class Canvas implements Aggregator<Band, Picture> {

    private final View view;
    private final int version;
    private final byte[] shades;
    private long inside;
    private long iterations;
    private Picture answer;

    Canvas(View view, int version) {
        this.view = view;
        this.version = version;
        this.shades = new byte[view.width() * view.height()];
    }

    @Override
    public void add(long chunkIndex, Band band) {
        System.arraycopy(band.shades(), 0, shades, band.firstRow() * view.width(), band.shades().length);
        inside += band.insidePixels();
        iterations += band.iterations();
    }

    @Override
    public Picture result() {
        if (answer == null) {
            String png = view.output() == null ? null : write(view.output()).toString();
            answer = new Picture(view.width(), view.height(), inside, iterations, Mandelbrot.crc(shades), png, version);
        }
        return answer;
    }

    private Path write(Path file) {
        BufferedImage image = new BufferedImage(view.width(), view.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < view.height(); y++) {
            for (int x = 0; x < view.width(); x++) {
                int s = shades[y * view.width() + x] & 0xff;
                // Dark blue through orange to white as points escape later.
                int r = Math.min(255, s * 2);
                int g = Math.max(0, Math.min(255, (s - 64) * 2));
                int b = s == 0 ? 0 : Math.min(255, 96 + s / 2);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            if (!ImageIO.write(image, "png", file.toFile())) throw new IOException("no PNG writer in this JVM");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
