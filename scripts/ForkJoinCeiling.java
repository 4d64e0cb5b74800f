import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * What this machine's cores give with no grid at all: leibniz-pi's own kernel on one thread,
 * then split into chunks on a ForkJoinPool of every processor, in one JVM. The grid's speedup
 * is best read against this ceiling.
 *
 *   java -cp deploy/target/grid.jar scripts/ForkJoinCeiling.java [terms] [chunks...]
 */
public class ForkJoinCeiling {

    public static void main(String[] args) throws Exception {
        long terms = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000_000L;
        long[] chunkCounts = args.length > 1
            ? Arrays.stream(args).skip(1).mapToLong(Long::parseLong).toArray() : new long[] {256, 65_536};
        Method kernel = Class.forName("org.pekkogrid.workloads.leibniz.LeibnizPi")
            .getDeclaredMethod("partialSum", long.class, long.class);
        kernel.setAccessible(true);
        int cores = Runtime.getRuntime().availableProcessors();
        ForkJoinPool pool = new ForkJoinPool(cores);
        for (int i = 0; i < 3; i++) {  // warm-up: the JIT compiles the kernel
            sequential(kernel, terms / 10);
            for (long c : chunkCounts) parallel(pool, kernel, terms / 10, c);
        }
        int runs = 7;
        double[] seq = new double[runs];
        double[][] par = new double[chunkCounts.length][runs];
        for (int r = 0; r < runs; r++) {  // interleaved, so drift on a shared machine hits both alike
            seq[r] = sequential(kernel, terms);
            for (int c = 0; c < chunkCounts.length; c++) par[c][r] = parallel(pool, kernel, terms, chunkCounts[c]);
        }
        double s = median(seq);
        System.out.printf("leibniz-pi terms=%d, %d processors, median of %d runs%n", terms, cores, runs);
        System.out.printf("  one thread: %.0f ms%n", s);
        for (int c = 0; c < chunkCounts.length; c++) {
            double p = median(par[c]);
            System.out.printf("  ForkJoinPool, %d chunks: %.0f ms, speedup %.2f%n", chunkCounts[c], p, s / p);
        }
        pool.shutdown();
    }

    private static double sequential(Method kernel, long terms) throws Exception {
        long t0 = System.nanoTime();
        double sum = (double) kernel.invoke(null, 0L, terms);
        return check(sum, t0);
    }

    private static double parallel(ForkJoinPool pool, Method kernel, long terms, long chunks) throws Exception {
        long t0 = System.nanoTime();
        List<Future<Double>> parts = new ArrayList<>();
        for (long i = 0; i < chunks; i++) {
            long start = terms * i / chunks;
            long end = terms * (i + 1) / chunks;
            parts.add(pool.submit(() -> (double) kernel.invoke(null, start, end)));
        }
        double sum = 0;
        for (Future<Double> f : parts) sum += f.get();
        return check(sum, t0);
    }

    private static double check(double quarterPi, long t0) {
        double ms = (System.nanoTime() - t0) / 1e6;
        if (Math.abs(4 * quarterPi - Math.PI) > 1e-3) throw new IllegalStateException("wrong sum " + quarterPi);
        return ms;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
