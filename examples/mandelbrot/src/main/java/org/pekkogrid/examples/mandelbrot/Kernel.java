package org.pekkogrid.examples.mandelbrot;

/** The escape-time iteration, pixel by pixel. */
final class Kernel {

    private Kernel() {}

    static Band band(Rows rows) {
        View v = rows.view();
        byte[] shades = new byte[v.width() * rows.count()];
        long inside = 0;
        long iterations = 0;
        int max = v.maxIterations();
        double logMax = Math.log(max + 1);
        for (int dy = 0; dy < rows.count(); dy++) {
            double ci = v.im(rows.first() + dy);
            for (int x = 0; x < v.width(); x++) {
                double cr = v.re(x);
                double zr = 0;
                double zi = 0;
                int n = 0;
                while (n < max) {
                    double zr2 = zr * zr;
                    double zi2 = zi * zi;
                    if (zr2 + zi2 > 4) break;
                    zi = 2 * zr * zi + ci;
                    zr = zr2 - zi2 + cr;
                    n++;
                }
                iterations += n;
                if (n == max) {
                    inside++;  // shade 0: black
                } else {
                    // 1..255 on a log scale: the bands near the set stay apart.
                    shades[dy * v.width() + x] = (byte) (1 + (int) (254 * Math.log(n + 1) / logMax));
                }
            }
        }
        return new Band(rows.first(), rows.count(), inside, iterations, shades);
    }
}
