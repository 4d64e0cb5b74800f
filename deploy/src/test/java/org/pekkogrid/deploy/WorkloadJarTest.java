package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobHandle;
import org.pekkogrid.client.JobListener;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.FileRoots;
import org.pekkogrid.workloads.Workload;
import org.pekkogrid.workloads.WorkloadJars;

/**
 * A user's own workload on a running grid (issue 17): a head and two worker JVMs that have never
 * seen the example (it is not on their class path, their jar directories are empty) run
 * examples/mandelbrot from its jar; the jar travels once; a second version of it runs beside the
 * first; bad jars are refused at submit; a worker that joins mid-job fetches the jar and takes chunks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkloadJarTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLE = Path.of("..", "examples", "mandelbrot");
    private static final Path EXAMPLE_JAR = EXAMPLE.resolve(Path.of("target", "mandelbrot-1.0.jar"));
    private static final String STORED = "stored workload jar ";
    private static final String SERVED = "served workload jar ";
    private static final String FETCHED = "fetched workload jar ";

    private static Path dir;
    private static String seed;
    private static ChildNode head;
    private static final List<ChildNode> workers = new ArrayList<>();
    private static final List<String> workerAddresses = new ArrayList<>();
    private static GridClient client;
    private static Path version2Jar;
    private static Path napsJar;
    private static Path missingClassJar;
    private static Path corruptJar;

    @BeforeAll
    static void startGrid() throws Exception {
        assertTrue(Files.isRegularFile(EXAMPLE_JAR), "the reactor builds " + EXAMPLE_JAR + " before these tests");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.pekkogrid.examples.mandelbrot.Mandelbrot"),
            "the example must not be on the nodes' class path");
        dir = Path.of("target", "workload-jar-test-" + System.nanoTime()).toAbsolutePath();
        Files.createDirectories(dir);
        int port = ChildNode.freePort();
        seed = "127.0.0.1:" + port;
        head = ChildNode.start("jar-head", List.of(jarsIn("head")), "head", "--port", String.valueOf(port),
            "--http-port", "0", "--no-metrics", "--no-journal", "--exit-on-stdin-eof");
        for (String name : List.of("jar-worker-1", "jar-worker-2")) workers.add(startWorker(name));
        // The jars the tests ship, built while the nodes start.
        Map<String, String> sources = new java.util.HashMap<>(exampleSources("static final int VERSION = 2;"));
        sources.put("naps/Naps.java", NAPS);
        Path classes = compile(sources);  // one javac run for both jars: it is the slow part here
        version2Jar = jar("mandelbrot-2", classes, "org/",
            Files.readString(EXAMPLE.resolve("src/main/resources/META-INF/services/org.pekkogrid.workloads.Workload")));
        napsJar = jar("naps", classes, "naps/", "naps.Naps\n");
        missingClassJar = jar("missing", classes, "nothing/", "org.example.Gone\n");
        corruptJar = dir.resolve("corrupt.jar");
        byte[] almost = Files.readAllBytes(EXAMPLE_JAR);
        Files.write(corruptJar, java.util.Arrays.copyOf(almost, almost.length / 2));  // cut off: no central directory
        ChildGrid.readyAddress(head, "head");
        for (ChildNode w : workers) workerAddresses.add(ChildGrid.readyAddress(w, "worker"));
        client = GridClient.connect(seed);
        ChildGrid.awaitStatus(client, s -> ChildGrid.oneSlotEach(s, workerAddresses), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopGrid() throws Exception {
        if (client != null) client.close();
        // Killed rather than left gracefully: nothing here depends on how they stop, and it saves seconds.
        for (ChildNode w : workers) w.crash();
        if (head != null) head.crash();
    }

    @Test
    @Order(1)
    void submitJarRunsTheExampleWithItsAnswer() throws Exception {
        Path png = dir.resolve("mandelbrot.png");
        Cli run = cli("submit", "--seed", seed, "--jar", EXAMPLE_JAR.toString(), "mandelbrot", "--param", "width=320",
            "--param", "height=240", "--param", "output=" + png, "--chunks", "40", "--json", "--no-progress");
        assertEquals(0, run.status, run.err);
        assertTrue(run.err.contains("sent jar "), run.err);
        JsonNode answer = JSON.readTree(run.out).get("result");
        JsonNode expected = sequentialAnswer(Map.of("width", "320", "height", "240"));
        for (String field : List.of("width", "height", "insidePixels", "iterations", "shadesCrc32", "version")) {
            assertEquals(expected.get(field).asLong(), answer.get(field).asLong(), field + " of " + answer);
        }
        assertTrue(answer.get("insidePixels").asLong() > 10_000, "a quarter of the view is inside the set: " + answer);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(320, image.getWidth());
        assertEquals(240, image.getHeight());
        JsonNode nodes = JSON.readTree(run.out).get("report").get("nodes");
        for (String worker : workerAddresses) {
            assertTrue(nodes.toString().contains(worker), "both workers ran chunks: " + nodes);
        }
        assertEquals(1, head.stderrCount(STORED));
        for (ChildNode w : workers) assertEquals(1, w.stderrCount(FETCHED), w.name() + " fetched the jar once");
    }

    @Test
    @Order(2)
    void aSecondJobWithTheSameJarTransfersNothing() throws Exception {
        int served = head.stderrCount(SERVED);
        Cli run = cli("submit", "--seed", seed, "--jar", EXAMPLE_JAR.toString(), "mandelbrot", "--param", "width=200",
            "--param", "height=160", "--param", "maxIterations=300", "--json", "--no-progress");
        assertEquals(0, run.status, run.err);
        assertTrue(run.err.contains("nothing sent"), run.err);
        assertEquals(sequentialAnswer(Map.of("width", "200", "height", "160", "maxIterations", "300"))
            .get("shadesCrc32").asLong(), JSON.readTree(run.out).get("result").get("shadesCrc32").asLong());
        assertEquals(1, head.stderrCount(STORED), "the head received the jar once");
        assertEquals(served, head.stderrCount(SERVED), "no worker fetched it again");
        for (ChildNode w : workers) assertEquals(1, w.stderrCount(FETCHED), w.name() + " kept its copy");
    }

    @Test
    @Order(3)
    void twoVersionsOfTheWorkloadRunSideBySide() throws Exception {
        JobSpec spec = JobSpec.of("mandelbrot").param("width", 240).param("height", 480).withChunks(60);
        JobHandle first = client.submit(spec, EXAMPLE_JAR);
        JobHandle second = client.submit(spec, version2Jar);
        // Both accepted before either ended: they share the workers' slots.
        first.accepted().toCompletableFuture().get(30, TimeUnit.SECONDS);
        second.accepted().toCompletableFuture().get(30, TimeUnit.SECONDS);
        JobResult one = first.result().toCompletableFuture().get(60, TimeUnit.SECONDS);
        JobResult two = second.result().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.COMPLETED, one.status(), one.error());
        assertEquals(JobResult.Status.COMPLETED, two.status(), two.error());
        assertEquals(1, one.result().get("version").asInt());
        assertEquals(2, two.result().get("version").asInt());
        assertEquals(one.result().get("shadesCrc32").asLong(), two.result().get("shadesCrc32").asLong(),
            "the same picture, twice");
        assertEquals(2, head.stderrCount(STORED), "the second version is a jar of its own");
    }

    @Test
    @Order(4)
    void aCorruptJarIsRefusedAtSubmit() throws Exception {
        int jobs = client.status().toCompletableFuture().get(10, TimeUnit.SECONDS).jobs().size();
        Cli run = cli("submit", "--seed", seed, "--jar", corruptJar.toString(), "mandelbrot", "--no-progress");
        assertEquals(GridMain.BAD_INPUT, run.status, run.err);
        assertTrue(run.err.contains("is not a jar"), run.err);
        assertEquals(jobs, client.status().toCompletableFuture().get(10, TimeUnit.SECONDS).jobs().size(),
            "nothing started");
    }

    @Test
    @Order(5)
    void aMissingClassOrWorkloadIsRefusedAtSubmit() throws Exception {
        Cli missingClass = cli("submit", "--seed", seed, "--jar", missingClassJar.toString(), "gone", "--no-progress");
        assertEquals(GridMain.BAD_INPUT, missingClass.status, missingClass.err);
        assertTrue(missingClass.err.contains("has no workload named \"gone\"")
            && missingClass.err.contains("org.example.Gone"), missingClass.err);
        // The same checks through GridClient: REJECTED, saying why.
        JobResult missingWorkload = client.submit(JobSpec.of("mandelbrott"), EXAMPLE_JAR).result()
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.REJECTED, missingWorkload.status());
        assertTrue(missingWorkload.error().contains("has no workload named \"mandelbrott\"; it offers: mandelbrot"),
            missingWorkload.error());
        JobResult badParams = client.submit(JobSpec.of("mandelbrot").param("width", 0), EXAMPLE_JAR).result()
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.REJECTED, badParams.status());
        assertTrue(badParams.error().contains("width and height must be at least 1 pixel"), badParams.error());
    }

    @Test
    @Order(6)
    void aWorkerThatJoinsMidJobFetchesTheJarAndTakesChunks() throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        JobHandle job = client.submit(JobSpec.of("naps").param("millis", 100).withChunks(2000), napsJar,
            new JobListener() {
                @Override
                public void onProgress(JobEvent.Progress progress) {
                    if (progress.chunksDone() > 0) started.complete(null);
                }
            });
        // Its JVM starts while the job does; it joins once chunks are running.
        ChildNode late = startWorker("jar-worker-late");
        started.get(30, TimeUnit.SECONDS);
        assertTrue(!late.printed("worker ready at "), "the late worker joined before the job ran");
        String address = ChildGrid.readyAddress(late, "worker");
        late.awaitLine("napped chunk", Duration.ofSeconds(60));
        // A few more, so that results of the late worker's chunks reach the head before the cancel.
        awaitNaps(late, 5);
        job.cancel("the late worker took chunks: enough");
        JobResult r = job.result().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(1, late.stderrCount(FETCHED), late.stderrTail());
        JobReport.NodeReport node = r.report().nodes().stream().filter(n -> n.address().contains(address)).findFirst()
            .orElseThrow(() -> new AssertionError("the late worker is not in the report: " + r.report().nodes()));
        assertTrue(node.chunks() > 0, node.toString());
    }

    @Test
    @Order(7)
    void workloadsListsTheJarsWorkloadsAndTheirParameters() {
        Cli run = cli("workloads", "--jar", EXAMPLE_JAR.toString());
        assertEquals(0, run.status, run.err);
        assertTrue(run.out.startsWith("mandelbrot  -  draws the Mandelbrot set"), run.out);
        assertTrue(run.out.contains("--param width=INT   image width in pixels (default 800)"), run.out);
        assertTrue(!run.out.contains("leibniz-pi"), "the jar's workloads only: " + run.out);
    }

    // ---- helpers

    private static void awaitNaps(ChildNode worker, int naps) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (worker.stdout().stream().filter(l -> l.startsWith("napped chunk")).count() < naps) {
            if (System.nanoTime() > deadline) throw new AssertionError(worker.name() + " ran fewer than " + naps + " chunks");
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)).join();
        }
    }

    private static ChildNode startWorker(String name) throws IOException {
        ChildNode w = ChildNode.start(name, List.of(jarsIn(name)), "worker", "--seed", seed, "--cores", "1",
            "--no-metrics", "--exit-on-stdin-eof");
        workers.add(w);
        return w;
    }

    private static String jarsIn(String node) {
        return "-Dgrid.jars.directory=" + dir.resolve("jars-" + node);
    }

    /** The example's own baseline, run here from its jar: the answer the grid must give. */
    private static JsonNode sequentialAnswer(Map<String, String> params) throws Exception {
        WorkloadJars local = new WorkloadJars(dir.resolve("jars-test"), Long.MAX_VALUE);
        byte[] bytes = Files.readAllBytes(EXAMPLE_JAR);
        String sha = WorkloadJars.sha256(bytes);
        local.store(sha, bytes);
        Workload<?, ?, ?, ?> w = local.use(sha, "mandelbrot", "expected");
        try {
            BoundJob<?, ?, ?, ?> job = BoundJob.bind(w, params, 0, Long.MAX_VALUE, FileRoots.UNRESTRICTED);
            return job.answerJson(job.runSequential());
        } finally {
            local.release("expected");
        }
    }

    /** The example's sources with {@code VERSION = 1} replaced: a second version of the same classes. */
    private static Map<String, String> exampleSources(String versionLine) throws IOException {
        Path root = EXAMPLE.resolve("src/main/java");
        Map<String, String> sources = new java.util.HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                sources.put(root.relativize(f).toString(),
                    Files.readString(f).replace("static final int VERSION = 1;", versionLine));
            }
        }
        assertTrue(sources.values().stream().anyMatch(s -> s.contains(versionLine)), "the example declares its VERSION");
        return sources;
    }

    /** Compiles sources against grid-api alone, as a user's build does; returns the classes' directory. */
    private static Path compile(Map<String, String> sources) throws Exception {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        List<String> args = new ArrayList<>(List.of("--release", "17", "-classpath",
            Path.of(Workload.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
            "-d", classes.toString()));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            args.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, args.toArray(String[]::new));
        assertEquals(0, status, errors.toString(StandardCharsets.UTF_8));
        return classes;
    }

    /** A jar of the classes under {@code prefix} that names {@code services} as its workloads. */
    private static Path jar(String name, Path classes, String prefix, String services) throws IOException {
        Path jar = dir.resolve(name + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> compiled = Files.walk(classes)) {
            for (Path f : compiled.filter(Files::isRegularFile).toList()) {
                String entry = classes.relativize(f).toString().replace('\\', '/');
                if (!entry.startsWith(prefix)) continue;
                out.putNextEntry(new JarEntry(entry));
                out.write(Files.readAllBytes(f));
            }
            out.putNextEntry(new JarEntry("META-INF/services/org.pekkogrid.workloads.Workload"));
            out.write(services.getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private record Cli(int status, String out, String err) {}

    /** {@code grid ARGS} in this JVM, its stdout and stderr captured. */
    private static Cli cli(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(tee(err, stderr), true, StandardCharsets.UTF_8));
            status = GridMain.execute(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static OutputStream tee(OutputStream a, OutputStream b) {
        return new OutputStream() {
            @Override
            public void write(int c) throws IOException {
                a.write(c);
                b.write(c);
            }

            @Override
            public void write(byte[] bytes, int off, int len) throws IOException {
                a.write(bytes, off, len);
                b.write(bytes, off, len);
            }
        };
    }

    /** A workload whose chunks sleep: a long job that costs no CPU, while a worker joins. */
    private static final String NAPS = """
        package naps;

        import org.pekkogrid.workloads.Aggregator;
        import org.pekkogrid.workloads.ChunkContext;
        import org.pekkogrid.workloads.ChunkSource;
        import org.pekkogrid.workloads.Param;
        import org.pekkogrid.workloads.ValueFold;
        import org.pekkogrid.workloads.Workload;

        public final class Naps implements Workload<Naps.Params, Naps.Nap, Long, Long> {
            public record Params(@Param(value = "ms each chunk sleeps", defaultValue = "100") int millis) {}
            public record Nap(long index, int millis) {}

            public String name() { return "naps"; }
            public String description() { return "chunks that sleep"; }
            public Class<Params> paramsType() { return Params.class; }
            public Class<Long> resultType() { return Long.class; }

            public ChunkSource<Nap> split(Params p, long chunks) {
                return ChunkSource.indices(chunks).map(i -> new Nap(i, p.millis()));
            }

            public Long run(Nap nap, ChunkContext ctx) throws Exception {
                Thread.sleep(nap.millis());
                System.out.println("napped chunk " + nap.index());
                return 1L;
            }

            public Aggregator<Long, Long> aggregator(Params p, long chunks) {
                return new ValueFold<Long, Long, Long>(0L, (sum, one) -> sum + one, sum -> sum);
            }

            public Long runSequential(Params p) { return 0L; }
        }
        """;
}
