package org.pekkogrid.workloads.grayscale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Writes photo-like test images, so tests, benchmarks and new users need no download: smooth
 * gradients and soft shapes under sensor-like noise, which gives JPEGs the size and codec cost
 * of real photos (flat synthetic images compress to almost nothing and decode in no time).
 * Also writes broken files of each kind the workload must report.
 *
 * <p>Files are numbered over good and broken ones together, broken ones spread evenly, so
 * that they land in different chunks: {@code img-00007.jpg}, {@code img-00008-truncated.jpg}.
 * The same seed writes the same bytes.
 */
public final class ImageGenerator {

    /** Every n-th good image is a PNG, the rest JPEGs, as in a typical photo folder. */
    static final int PNG_EVERY = 10;
    /** Camera-like quality: lower than the workload's output quality, as real inputs are. */
    static final int JPEG_QUALITY = 90;
    /** Largest side accepted: beyond it a typo would fill the disk. */
    static final int MAX_SIDE = 16_384;

    /** The kinds of broken file, in the order they are handed out. */
    public enum Corruption { TRUNCATED_JPEG, EMPTY, NOT_AN_IMAGE, TRUNCATED_PNG }

    /** What was written, by kind. */
    public record Generated(List<Path> images, List<Path> corrupt) {}

    private ImageGenerator() {}

    /**
     * Writes {@code count} good images of {@code width} x {@code height} plus {@code corrupt}
     * broken files into {@code outDir} (created when missing).
     */
    public static Generated generate(Path outDir, int count, int width, int height, int corrupt, long seed)
            throws IOException {
        return generate(outDir, count, width, height, corrupt, seed, written -> { });
    }

    /**
     * As {@link #generate(Path, int, int, int, int, long)}, telling {@code progress} how many
     * files are written so far (a 1080p image takes about 0.1 s: a CLI wants a progress bar).
     */
    public static Generated generate(Path outDir, int count, int width, int height, int corrupt, long seed,
                                     IntConsumer progress) throws IOException {
        if (count < 0) throw new IllegalArgumentException("count cannot be negative, got " + count);
        if (corrupt < 0) throw new IllegalArgumentException("corrupt cannot be negative, got " + corrupt);
        if (count + corrupt == 0) throw new IllegalArgumentException("count and corrupt are both 0: nothing to write");
        if (width < 16 || height < 16 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("size must be between 16x16 and " + MAX_SIDE + "x" + MAX_SIDE
                + ", got " + width + "x" + height);
        }
        OpenCv.load();
        Files.createDirectories(outDir);
        int total = count + corrupt;
        boolean[] broken = new boolean[total];
        for (int j = 0; j < corrupt; j++) broken[(int) ((j + 0.5) * total / corrupt)] = true;
        List<Path> images = new ArrayList<>();
        List<Path> damaged = new ArrayList<>();
        int good = 0;
        int bad = 0;
        for (int k = 0; k < total; k++) {
            SplittableRandom random = new SplittableRandom(seed * 0x9e3779b97f4a7c15L + k);
            String stem = String.format("img-%05d", k);
            if (broken[k]) {
                Corruption kind = Corruption.values()[bad++ % Corruption.values().length];
                damaged.add(writeBroken(outDir, stem, kind, width, height, random));
            } else {
                String ext = good++ % PNG_EVERY == PNG_EVERY - 1 ? ".png" : ".jpg";
                Path file = outDir.resolve(stem + ext);
                Files.write(file, encode(ext, width, height, random));
                images.add(file);
            }
            progress.accept(k + 1);
        }
        return new Generated(List.copyOf(images), List.copyOf(damaged));
    }

    private static Path writeBroken(Path dir, String stem, Corruption kind, int width, int height,
                                    SplittableRandom random) throws IOException {
        return switch (kind) {
            case TRUNCATED_JPEG -> write(dir.resolve(stem + "-truncated.jpg"),
                truncate(encode(".jpg", width, height, random)));
            case TRUNCATED_PNG -> write(dir.resolve(stem + "-truncated.png"),
                truncate(encode(".png", width, height, random)));
            case EMPTY -> write(dir.resolve(stem + "-empty.jpg"), new byte[0]);
            case NOT_AN_IMAGE -> write(dir.resolve(stem + "-text.png"),
                "This is a text file with an image extension, not an image.\n".getBytes(StandardCharsets.US_ASCII));
        };
    }

    /** Cut as a failed download would: at about 60 %. */
    private static byte[] truncate(byte[] whole) {
        return Arrays.copyOf(whole, whole.length * 3 / 5);
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        return Files.write(file, bytes);
    }

    /** One photo-like image, encoded as {@code ext}. */
    static byte[] encode(String ext, int width, int height, SplittableRandom random) {
        Mat image = paint(width, height, random);
        MatOfByte encoded = new MatOfByte();
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, JPEG_QUALITY);
        try {
            if (!Imgcodecs.imencode(ext, image, encoded, params)) {
                throw new IllegalStateException("OpenCV cannot encode " + ext);
            }
            return encoded.toArray();
        } finally {
            image.release();
            encoded.release();
            params.release();
        }
    }

    static Mat paint(int width, int height, SplittableRandom random) {
        byte[] pixels = new byte[width * height * 3];
        gradient(pixels, width, height, random);
        Mat image = new Mat(height, width, CvType.CV_8UC3);
        image.put(0, 0, pixels);
        shapes(image, width, height, random);
        texture(image, width, height, random);
        // Soft edges, as a lens draws them.
        double sigma = Math.max(0.8, Math.min(width, height) / 600.0);
        Imgproc.GaussianBlur(image, image, new Size(0, 0), sigma);
        image.get(0, 0, pixels);
        noise(pixels, random);
        image.put(0, 0, pixels);
        return image;
    }

    /** A sky-like background: a linear ramp per channel plus one slow wave. */
    private static void gradient(byte[] pixels, int width, int height, SplittableRandom random) {
        for (int c = 0; c < 3; c++) {
            double base = 40 + random.nextDouble() * 120;
            double dx = (random.nextDouble() - 0.5) * 120;
            double dy = (random.nextDouble() - 0.5) * 120;
            double amplitude = 10 + random.nextDouble() * 30;
            double fx = (0.5 + random.nextDouble() * 2) * 2 * Math.PI / width;
            double fy = (0.5 + random.nextDouble() * 2) * 2 * Math.PI / height;
            double[] sx = new double[width];
            double[] cx = new double[width];
            for (int x = 0; x < width; x++) {
                sx[x] = Math.sin(fx * x);
                cx[x] = Math.cos(fx * x);
            }
            for (int y = 0; y < height; y++) {
                double row = base + dy * y / height;
                double sy = amplitude * Math.sin(fy * y);
                double cy = amplitude * Math.cos(fy * y);
                int i = y * width * 3 + c;
                for (int x = 0; x < width; x++, i += 3) {
                    // sin(fx x + fy y), separated so the inner loop has no trigonometry
                    double v = row + dx * x / width + sx[x] * cy + cx[x] * sy;
                    pixels[i] = (byte) Math.max(0, Math.min(255, (int) v));
                }
            }
        }
    }

    private static void shapes(Mat image, int width, int height, SplittableRandom random) {
        int scale = Math.min(width, height);
        int n = 8 + random.nextInt(12);
        for (int s = 0; s < n; s++) {
            Scalar color = new Scalar(random.nextInt(256), random.nextInt(256), random.nextInt(256));
            Point centre = new Point(random.nextInt(width), random.nextInt(height));
            switch (random.nextInt(4)) {
                case 0 -> Imgproc.circle(image, centre, 1 + random.nextInt(Math.max(1, scale / 5)), color, -1,
                    Imgproc.LINE_AA);
                case 1 -> Imgproc.ellipse(image, centre,
                    new Size(1 + random.nextInt(Math.max(1, scale / 4)), 1 + random.nextInt(Math.max(1, scale / 8))),
                    random.nextInt(180), 0, 360, color, -1, Imgproc.LINE_AA);
                case 2 -> Imgproc.rectangle(image, centre,
                    new Point(centre.x + random.nextInt(Math.max(1, scale / 3)),
                        centre.y + random.nextInt(Math.max(1, scale / 3))), color, -1);
                default -> {
                    MatOfPoint polygon = new MatOfPoint(centre,
                        new Point(random.nextInt(width), random.nextInt(height)),
                        new Point(random.nextInt(width), random.nextInt(height)));
                    try {
                        Imgproc.fillPoly(image, List.of(polygon), color, Imgproc.LINE_AA);
                    } finally {
                        polygon.release();
                    }
                }
            }
        }
        for (int l = 0; l < 20; l++) {  // thin detail, which is what JPEG pays for
            Imgproc.line(image, new Point(random.nextInt(width), random.nextInt(height)),
                new Point(random.nextInt(width), random.nextInt(height)),
                new Scalar(random.nextInt(256), random.nextInt(256), random.nextInt(256)),
                1 + random.nextInt(3), Imgproc.LINE_AA);
        }
    }

    /**
     * Foliage-and-fabric detail everywhere: random grids at a few scales, upsampled smoothly and
     * added. Without it the gradients compress to almost nothing and the codec has no work.
     */
    private static void texture(Mat image, int width, int height, SplittableRandom random) {
        int[] cells = {4, 16, 64};
        double[] weights = {0.10, 0.12, 0.15};
        Mat fine = new Mat();
        try {
            for (int o = 0; o < cells.length; o++) {
                int gw = Math.max(2, width / cells[o]);
                int gh = Math.max(2, height / cells[o]);
                byte[] grid = new byte[gw * gh * 3];
                for (int i = 0; i < grid.length; i++) grid[i] = (byte) random.nextInt(256);
                Mat coarse = new Mat(gh, gw, CvType.CV_8UC3);
                try {
                    coarse.put(0, 0, grid);
                    Imgproc.resize(coarse, fine, new Size(width, height), 0, 0, Imgproc.INTER_CUBIC);
                } finally {
                    coarse.release();
                }
                Core.addWeighted(image, 1.0, fine, weights[o], -128 * weights[o], image);
            }
        } finally {
            fine.release();
        }
    }

    /** Sensor noise: triangular, about +-6 levels, drawn four samples per random long. */
    private static void noise(byte[] pixels, SplittableRandom random) {
        for (int i = 0; i < pixels.length; ) {
            long bits = random.nextLong();
            for (int k = 0; k < 4 && i < pixels.length; k++, i++, bits >>>= 16) {
                int delta = (int) (bits & 7) + (int) ((bits >>> 3) & 7) - 7;  // -7..7, peaked at 0
                int v = (pixels[i] & 0xff) + delta;
                pixels[i] = (byte) (v < 0 ? 0 : Math.min(v, 255));
            }
        }
    }
}
