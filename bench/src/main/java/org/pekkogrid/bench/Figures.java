package org.pekkogrid.bench;

import java.util.Locale;
import org.pekkogrid.protocol.JobReport.Percentiles;

/** How the reports write numbers for people: one place, so every table rounds alike. */
public final class Figures {

    private Figures() {}

    /** Milliseconds with precision that fits their size: 0.231, 12.4, 5123. */
    public static String millis(double ms) {
        if (Double.isNaN(ms)) return "n/a";
        double a = Math.abs(ms);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", ms);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", ms);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", ms);
        return String.format(Locale.ROOT, "%.3f", ms);
    }

    /** Milliseconds written as seconds: 12.6, 0.057. */
    public static String seconds(double ms) {
        return millis(ms / 1000);
    }

    /** A rate or any large quantity with thousands separators and no false precision. */
    public static String amount(double value) {
        if (Double.isNaN(value)) return "n/a";
        double a = Math.abs(value);
        if (a >= 100) return String.format(Locale.ROOT, "%,.0f", value);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", value);
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** Bytes in binary units: 512 MiB, 5.9 GiB. */
    public static String bytes(long n) {
        if (n < 0) return "n/a";
        if (n >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
        if (n >= 1L << 20) return String.format(Locale.ROOT, "%.0f MiB", n / (double) (1L << 20));
        if (n >= 1L << 10) return String.format(Locale.ROOT, "%.0f KiB", n / 1024.0);
        return n + " B";
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Ratios such as speedup: two decimals. */
    public static String ratio(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
    }

    public static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }

    /** "median (min–max)", the way every table states a repeated measurement. */
    public static String spread(Spread s, java.util.function.DoubleFunction<String> format) {
        if (s.count() == 1) return format.apply(s.median());
        return format.apply(s.median()) + " (" + format.apply(s.min()) + "–" + format.apply(s.max()) + ")";
    }

    public static String percentiles(Percentiles p) {
        return millis(p.p50()) + " / " + millis(p.p95()) + " / " + millis(p.p99()) + " / " + millis(p.max());
    }
}
