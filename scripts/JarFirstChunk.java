import java.nio.file.Path;
import java.time.Instant;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobSpec;

/**
 * Time from submitting a job to its first chunk running on a worker (issue 17), as the client sees
 * it: the client's clock before the submit, against the head's start of the job plus the first
 * chunk's start in its report (one machine: one clock).
 *
 *   java -cp grid.jar scripts/JarFirstChunk.java SEED JAR RUNS
 *
 * Prints one line per run: the jar's job (sent and fetched the first time, cached after), then the
 * same for a built-in workload of the class path, for comparison.
 */
public class JarFirstChunk {
    public static void main(String[] args) throws Exception {
        String seed = args[0];
        Path jar = Path.of(args[1]);
        int runs = Integer.parseInt(args[2]);
        try (GridClient client = GridClient.connect(seed)) {
            for (int i = 1; i <= runs; i++) {
                JobSpec spec = JobSpec.of("mandelbrot").param("width", 400).param("height", 300).withChunks(30);
                long t0 = System.currentTimeMillis();
                long sent = client.sendJar(jar).toCompletableFuture().join().bytesSent();
                JobResult r = client.submit(spec.withJar(GridClientSha.of(jar))).result().toCompletableFuture().join();
                System.out.printf("mandelbrot --jar run %d: submit to first chunk running %.0f ms (jar bytes sent %d), "
                    + "job makespan %.0f ms%n", i, firstChunk(r.report()) - t0, sent, r.report().makespanMillis());
            }
            for (int i = 1; i <= runs; i++) {
                long t0 = System.currentTimeMillis();
                JobResult r = client.submit(JobSpec.of("leibniz-pi").param("terms", 30_000_000).withChunks(30)).result()
                    .toCompletableFuture().join();
                System.out.printf("leibniz-pi (class path) run %d: submit to first chunk running %.0f ms, job makespan "
                    + "%.0f ms%n", i, firstChunk(r.report()) - t0, r.report().makespanMillis());
            }
        }
    }

    private static double firstChunk(JobReport report) {
        double first = report.chunkRows().stream().mapToDouble(JobReport.ChunkRow::startedMillis).min().orElseThrow();
        return Instant.parse(report.startedAt()).toEpochMilli() + first;
    }

    static final class GridClientSha {
        static String of(Path jar) throws Exception {
            byte[] bytes = java.nio.file.Files.readAllBytes(jar);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        }
    }
}
