package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * The {@code grid} command line through its real entry point, {@link GridMain#execute}, with
 * this JVM's stdout and stderr captured. Commands that need a running grid talk to an embedded
 * one (a head and a one-core worker in this JVM) through its seed, as another host would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    @TempDir
    static Path dir;

    private EmbeddedGrid grid;

    @BeforeAll
    void startGrid() {
        grid = EmbeddedGrid.start(LoopbackGrid.config(Map.of()), 1, 1);
    }

    @AfterAll
    void stopGrid() {
        if (grid != null) grid.close();
    }

    // ---- bad input: exit status 2, one line that says what was wrong, nothing on stdout

    static Stream<Arguments> badInput() throws IOException {
        Path smallMax = Files.writeString(Files.createTempFile(dir, "max-chunks", ".conf"), "grid.job.max-chunks = 1000\n");
        return Stream.of(
            bad("an unknown workload, listing the known ones", List.of("run", "lebniz-pi"),
                "unknown workload \"lebniz-pi\"", "leibniz-pi", "monte-carlo-pi", "sleep"),
            bad("an unknown parameter", List.of("run", "leibniz-pi", "--param", "trems=5"),
                "unknown parameter \"trems\"", "terms"),
            bad("a --param without '='", List.of("run", "leibniz-pi", "--param", "terms"),
                "--param", "KEY=VALUE", "terms"),
            bad("a parameter that is not a number", List.of("run", "leibniz-pi", "--param", "terms=lots"),
                "terms", "\"lots\""),
            bad("--chunks 0", List.of("run", "leibniz-pi", "--chunks", "0"), "--chunks must be at least 1, got 0"),
            bad("--chunks -3", List.of("run", "leibniz-pi", "--chunks", "-3"), "--chunks must be at least 1, got -3"),
            bad("--chunks beyond grid.job.max-chunks",
                List.of("run", "leibniz-pi", "--config", smallMax.toString(), "--chunks", "1001"),
                "chunks (1001) exceeds the grid's maximum of 1000", "grid.job.max-chunks"),
            bad("more chunks than terms", List.of("run", "leibniz-pi", "--param", "terms=10", "--chunks", "20"),
                "chunks (20) exceeds terms (10)"),
            bad("run --cores beyond this machine",
                List.of("run", "leibniz-pi", "--cores", String.valueOf(PROCESSORS + 1)),
                "--cores (" + (PROCESSORS + 1) + ") exceeds this machine's " + PROCESSORS + " processors"),
            bad("worker --cores beyond this machine",
                List.of("worker", "--seed", "127.0.0.1:2551", "--cores", String.valueOf(PROCESSORS + 1)),
                "cores (" + (PROCESSORS + 1) + ") exceeds this machine's " + PROCESSORS + " processors"),
            bad("a worker without --seed", List.of("worker", "--cores", "1"), "a worker needs --seed HOST:PORT"),
            bad("a seed that is not host:port", List.of("worker", "--seed", "localhost"),
                "seed \"localhost\" is not host:port"),
            bad("a seed whose port is out of range", List.of("submit", "--seed", "127.0.0.1:70000", "noop"),
                "127.0.0.1:70000", "port must be within 1..65535"),
            bad("a requirement that is not key=value", List.of("run", "noop", "--require", "gpu"),
                "requirement \"gpu\" is not key=value"),
            bad("a chunk timeout that is not a duration", List.of("run", "noop", "--chunk-timeout", "soon"),
                "--chunk-timeout", "\"soon\""));
    }

    private static Arguments bad(String what, List<String> args, String... named) {
        return Arguments.of(what, args, List.of(named));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputExitsWithStatus2AndOneLineSayingWhatWasWrong(String what, List<String> args, List<String> named) {
        Outcome o = grid(args.toArray(String[]::new));

        assertBadInput(o, named.toArray(String[]::new));
    }

    @Test
    void aRequirementNoNodeSatisfiesIsBadInputNamingIt() {
        Outcome o = grid("run", "leibniz-pi", "--param", "terms=1000000", "--chunks", "4", "--require", "tags=gpu");

        assertBadInput(o, "no worker can run this job", "requires cpus=1,tags=gpu", "lacks tags=gpu");
    }

    /**
     * A grid with file roots takes no job whose paths lead outside them: {@code grid run} refuses
     * it before it starts a node, a head refuses it at submit; both exit 2 naming the root, and
     * nothing is created.
     */
    @Test
    void aFileJobOutsideTheFileRootsExitsWithStatus2NamingTheRootAndCreatesNothing() throws Exception {
        Path root = Files.createDirectories(dir.resolve("rooted/root"));
        Path images = Files.createDirectories(root.resolve("images"));
        Files.write(images.resolve("a.png"), new byte[] {1, 2, 3});
        Path outside = dir.resolve("rooted/outside/deep/out");
        Path conf = Files.writeString(dir.resolve("roots.conf"), "grid.files.roots = [\"" + root + "\"]\n");
        String[] params = {"--param", "input=" + images, "--param", "output=" + outside};

        Outcome run = grid(Stream.concat(Stream.of("run", "grayscale", "--config", conf.toString()),
            Arrays.stream(params)).toArray(String[]::new));

        assertBadInput(run, "--param output: " + outside + " is outside this node's file roots " + root,
            "grid.files.roots");
        try (EmbeddedGrid rooted = EmbeddedGrid.start(
                LoopbackGrid.config(Map.of("grid.files.roots", List.of(root.toString()))), 1, 1)) {
            Outcome submit = grid(Stream.concat(Stream.of("submit", "--seed", rooted.seed(), "grayscale"),
                Arrays.stream(params)).toArray(String[]::new));

            assertBadInput(submit, "--param output: " + outside + " is outside this node's file roots " + root);
        }
        assertFalse(Files.exists(dir.resolve("rooted/outside")), "nothing is created outside the root");
    }

    @Test
    void gridFilesRootsComesFromTheEnvironmentAsACommaSeparatedList() {
        assertEquals(Map.of("grid.files.roots", List.of("/data/images", "/data/out")),
            NodeConfig.fromEnvironment(Map.of("GRID_FILES_ROOTS", "/data/images, /data/out")));
    }

    @Test
    void submitToASeedNobodyAnswersAtFailsInBoundedTimeSayingSo() throws IOException {
        Path fast = Files.writeString(dir.resolve("fast-give-up.conf"),
            "grid.client.connect-timeout = 3s\ngrid.join-timeout = 3s\n");
        int closed = ChildNode.freePort();

        Outcome o = grid("submit", "--seed", "127.0.0.1:" + closed, "--config", fast.toString(),
            "leibniz-pi", "--param", "terms=1000");

        assertBadInput(o, "no grid head answered at 127.0.0.1:" + closed, "within 3s");
    }

    @Test
    void aWorkerThatNeverJoinsStopsAfterTheJoinTimeoutWithStatus2SayingSo() throws IOException {
        Path fast = Files.writeString(dir.resolve("fast-join-timeout.conf"), "grid.join-timeout = 3s\n");
        int closed = ChildNode.freePort();

        Outcome o = grid("worker", "--seed", "127.0.0.1:" + closed, "--config", fast.toString(), "--no-metrics",
            "--cores", "1");

        assertEquals(GridMain.BAD_INPUT, o.status(), o.err());
        assertTrue(o.err().contains("worker: could not join the grid at [127.0.0.1:" + closed + "]")
            && o.err().contains("grid.join-timeout, 3s"), o.err());
        assertEquals("", o.out(), "no ready line");
    }

    // ---- jobs that run

    @Test
    void runWithJsonPrintsExactlyOneJsonObjectWithTheResultAndTheReport() {
        Outcome o = grid("run", "leibniz-pi", "--param", "terms=1000000", "--chunks", "8", "--json", "--baseline");

        assertEquals(GridMain.COMPLETED, o.status(), o.err());
        JsonNode j = onlyJsonObject(o.out());
        assertTrue(j.path("job").asText().startsWith("job-"), j.toString());
        assertEquals("leibniz-pi", j.path("workload").asText());
        assertEquals("COMPLETED", j.path("status").asText());
        assertTrue(j.path("result").isNumber(), "the estimate as a JSON number: " + j.path("result"));
        assertEquals(Math.PI, j.path("result").asDouble(), 1e-5);
        assertEquals(LeibnizPi.expected(1_000_000), j.path("result").asDouble(), 1e-12);
        assertTrue(j.path("error").isNull());

        JsonNode report = j.path("report");
        assertEquals(8, report.path("chunks").asLong());
        assertEquals(8, report.path("chunksDone").asLong());
        assertTrue(report.path("makespanMillis").asDouble() > 0, report.toString());
        assertTrue(report.path("chunksPerSecond").asDouble() > 0, report.toString());
        JsonNode latency = report.path("latencyMillis");
        double p50 = latency.path("p50").asDouble();
        double p95 = latency.path("p95").asDouble();
        double p99 = latency.path("p99").asDouble();
        double max = latency.path("max").asDouble();
        assertTrue(0 < p50 && p50 <= p95 && p95 <= p99 && p99 <= max, latency.toString());
        assertEquals(0, report.path("retries").asLong());
        assertEquals(0, report.path("failedChunks").asLong());
        JsonNode nodes = report.path("nodes");
        assertTrue(nodes.isArray() && nodes.size() >= 1, nodes.toString());
        long chunks = 0;
        for (JsonNode n : nodes) {
            assertTrue(Pattern.matches("127\\.0\\.0\\.1:\\d+", n.path("address").asText()), n.toString());
            assertTrue(n.path("busyMillis").isNumber() && n.path("meanResponseMillis").asDouble() > 0, n.toString());
            chunks += n.path("chunks").asLong();
        }
        assertEquals(8, chunks, "every chunk counted once across the nodes");
        JsonNode queue = report.path("queue");
        assertTrue(queue.size() >= 1, report.toString());
        JsonNode end = queue.get(queue.size() - 1);
        assertEquals(8, end.path("done").asLong(), "the queue's last point is the job's end: " + queue);
        assertEquals(0, end.path("waiting").asLong(), queue.toString());
        double baseline = report.path("baselineMillis").asDouble();
        assertTrue(baseline > 0, report.toString());
        assertEquals(baseline / report.path("makespanMillis").asDouble(), report.path("speedup").asDouble(), 1e-9);
        assertEquals(j.path("result").asDouble(), j.path("baselineResult").asDouble(), 1e-12,
            "the baseline runs the same kernel");
        double ceiling = report.path("ceilingMillis").asDouble();
        assertTrue(ceiling > 0, report.toString());
        assertEquals(ceiling / report.path("makespanMillis").asDouble(), report.path("ofCeiling").asDouble(), 1e-9);
        assertEquals(baseline / ceiling, report.path("ceilingSpeedup").asDouble(), 1e-9);
        assertEquals(j.path("result").asDouble(), j.path("ceilingResult").asDouble(), 0.0,
            "the ceiling folds the same chunks as the grid: the same bits");
    }

    @Test
    void aJobThatFailsExitsWithStatus1NamingTheChunk() {
        Outcome o = grid("run", "flaky", "--param", "rate=1", "--chunks", "4");

        assertEquals(GridMain.FAILED, o.status(), o.err());
        assertTrue(o.out().startsWith("flaky  FAILED"), o.out());
        assertTrue(Pattern.compile("error: chunk [0-3] failed 4 times; last error on 127\\.0\\.0\\.1:\\d+: .*fails by design")
            .matcher(o.out()).find(), o.out());
    }

    @Test
    void repeatWithJsonReportsTheMeasuredRunsAndTheirRoundTrips() {
        Outcome o = grid("submit", "--seed", grid.seed(), "noop", "--chunks", "2", "--repeat", "5", "--warm-up-runs", "1",
            "--json");

        assertEquals(GridMain.COMPLETED, o.status(), o.err());
        JsonNode j = onlyJsonObject(o.out());
        assertEquals("COMPLETED", j.path("status").asText());
        assertEquals(2, j.path("result").asLong(), "noop counts its chunks");
        JsonNode repeat = j.path("repeat");
        assertEquals(4, repeat.path("runs").asInt(), "5 runs minus 1 warm-up: " + repeat);
        assertEquals(1, repeat.path("warmUpRuns").asInt());
        assertEquals(0, repeat.path("failed").asInt());
        JsonNode roundTrip = repeat.path("roundTripMillis");
        assertEquals(4, roundTrip.path("count").asLong());
        double p50 = roundTrip.path("p50").asDouble();
        assertTrue(0 < p50 && p50 <= roundTrip.path("p95").asDouble()
            && roundTrip.path("p95").asDouble() <= roundTrip.path("p99").asDouble()
            && roundTrip.path("p99").asDouble() <= roundTrip.path("max").asDouble(), roundTrip.toString());
        assertEquals(4, repeat.path("makespanMillis").path("count").asLong());
    }

    @Test
    void statusListsTheMembersWithTheirCoresAndSlots() {
        String worker = grid.workers().get(0).system().address().toString();
        String head = grid.headSystem().address().toString();

        Outcome o = grid("status", "--seed", grid.seed());

        assertEquals(GridMain.COMPLETED, o.status(), o.err());
        List<String> workerLine = columnsOfLineStartingWith(o.out(), worker);
        // member, roles, status, reachable, cores, slots (then the metrics and HTTP columns)
        assertEquals(List.of(worker, "worker", "Up", "yes", "1", "1"), workerLine.subList(0, 6));
        List<String> headLine = columnsOfLineStartingWith(o.out(), head);
        assertEquals(List.of(head, "head", "Up", "yes", "0", "0"), headLine.subList(0, 6));
    }

    @Test
    void statusWithJsonParses() {
        String worker = grid.workers().get(0).system().address().toString();

        Outcome o = grid("status", "--seed", grid.seed(), "--json");

        assertEquals(GridMain.COMPLETED, o.status(), o.err());
        JsonNode j = onlyJsonObject(o.out());
        assertTrue(j.path("jobs").isArray(), j.toString());
        JsonNode member = null;
        for (JsonNode m : j.path("members")) if (m.path("address").asText().equals(worker)) member = m;
        assertNotNull(member, "the worker is listed: " + j);
        assertEquals(1, member.path("cores").asInt());
        assertEquals(1, member.path("slots").asInt());
        assertEquals("[\"worker\"]", member.path("roles").toString());
        assertEquals("Up", member.path("status").asText());
        assertTrue(member.path("reachable").asBoolean());
    }

    // ---- running the command line

    /** What a command did: its exit status and what it wrote. */
    record Outcome(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** Runs {@code grid args...} in this JVM with stdout and stderr captured. */
    static synchronized Outcome grid(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = GridMain.execute(args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(stdout);
            System.setErr(stderr);
        }
        Outcome o = new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        stdout.println("grid " + String.join(" ", args) + "\n  -> " + status + "\n" + o.out() + o.err());
        return o;
    }

    /** Exit status 2, nothing on stdout, and a first line on stderr naming each fragment; any more is the usage hint. */
    private static void assertBadInput(Outcome o, String... named) {
        assertEquals(GridMain.BAD_INPUT, o.status(), () -> "stdout:\n" + o.out() + "stderr:\n" + o.err());
        assertEquals("", o.out(), "bad input prints nothing on stdout");
        List<String> lines = o.errLines();
        assertFalse(lines.isEmpty(), "stderr says what was wrong");
        String first = lines.get(0);
        assertTrue(first.startsWith("grid "), first);
        for (String n : named) assertTrue(first.contains(n), "\"" + first + "\" should name " + n);
        for (String more : lines.subList(1, lines.size())) {
            assertTrue(more.startsWith("Try 'grid "), "one line about the problem, then only the usage hint: " + o.err());
        }
    }

    private static JsonNode onlyJsonObject(String out) {
        try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(out)) {
            List<JsonNode> all = values.readAll();
            assertEquals(1, all.size(), "exactly one JSON value on stdout:\n" + out);
            assertTrue(all.get(0).isObject(), out);
            return all.get(0);
        } catch (IOException e) {
            throw new AssertionError("stdout is not only JSON: " + e.getMessage() + "\n" + out, e);
        }
    }

    private static List<String> columnsOfLineStartingWith(String out, String start) {
        return out.lines().filter(l -> l.startsWith(start + " ")).findFirst()
            .map(l -> Arrays.asList(l.trim().split("\\s+")))
            .orElseThrow(() -> new AssertionError("no line for " + start + " in:\n" + out));
    }
}
