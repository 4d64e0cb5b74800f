package org.pekkogrid.bench;

/**
 * Where more chunks start to cost more than they give: the chunk count beyond which the
 * makespan rises more than a tolerance over its minimum and stays there.
 *
 * @param bestChunks      the chunk count with the smallest makespan
 * @param bestMillis      that makespan
 * @param lastWithin      the largest count whose makespan is within the tolerance of the minimum
 * @param firstBeyond     the next count measured: it and every larger count are past the
 *                        tolerance; null when the largest count is within it
 * @param firstBeyondMillis its makespan; NaN when there is none
 */
record Knee(long bestChunks, double bestMillis, long lastWithin, Long firstBeyond, double firstBeyondMillis,
            double tolerance) {


    static Knee find(long[] chunks, double[] makespanMillis, double tolerance) {
        if (chunks.length == 0 || chunks.length != makespanMillis.length) {
            throw new IllegalArgumentException("need as many makespans as chunk counts, and at least one");
        }
        int best = 0;
        for (int i = 1; i < chunks.length; i++) if (makespanMillis[i] < makespanMillis[best]) best = i;
        double limit = makespanMillis[best] * (1 + tolerance);
        // The last count within the limit, so that every count past it is beyond: one noisy point
        // over the limit, with counts inside it again after, is not the knee.
        int last = best;
        for (int i = best + 1; i < chunks.length; i++) if (makespanMillis[i] <= limit) last = i;
        boolean beyond = last + 1 < chunks.length;
        return new Knee(chunks[best], makespanMillis[best], chunks[last], beyond ? chunks[last + 1] : null,
            beyond ? makespanMillis[last + 1] : Double.NaN, tolerance);
    }

    boolean found() {
        return firstBeyond != null;
    }

    private static String chunks(long n) {
        return Figures.count(n) + (n == 1 ? " chunk" : " chunks");
    }

    /** The sentence report.md states the knee with. */
    String sentence() {
        String pct = Math.round(tolerance * 100) + " %";
        if (!found()) {
            return "No knee within the counts measured: from " + chunks(bestChunks) + " on, the makespan "
                + "stayed within " + pct + " of its minimum (" + Figures.millis(bestMillis) + " ms).";
        }
        return "The knee: beyond " + chunks(lastWithin) + " per-chunk overhead takes over. At "
            + Figures.count(firstBeyond) + " chunks the makespan is " + Figures.millis(firstBeyondMillis) + " ms, "
            + Math.round(100 * (firstBeyondMillis / bestMillis - 1)) + " % over its minimum of "
            + Figures.millis(bestMillis) + " ms (at " + chunks(bestChunks) + "); the threshold is "
            + pct + ".";
    }
}
