package org.pekkogrid.workloads.grayscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.FileRoots;

/**
 * {@code grid.files.roots}: every path parameter of a job resolves inside a root, links
 * followed, or the job is rejected where it is bound, naming the roots, before anything is
 * listed or created.
 */
class FileRootsTest {

    @TempDir
    Path dir;
    Path data;
    Path input;
    Path elsewhere;
    FileRoots roots;

    @BeforeEach
    void aRootWithImagesAndADirectoryOutsideIt() throws IOException {
        data = Files.createDirectories(dir.resolve("data"));
        input = Files.createDirectories(data.resolve("in"));
        // Bytes are enough: binding lists names and sizes, it decodes nothing.
        Files.write(input.resolve("a.png"), new byte[] {1, 2, 3});
        Files.write(input.resolve("b.jpg"), new byte[] {4, 5, 6});
        elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.write(elsewhere.resolve("c.png"), new byte[] {7});
        roots = FileRoots.of(List.of(data));
    }

    private BoundJob<?, ?, ?, ?> bind(Path in, Path out, FileRoots r) {
        return BoundJob.bind("grayscale", Map.of("input", in.toString(), "output", out.toString()), 0,
            GridHarness.MAX_CHUNKS, r);
    }

    private String rejected(Path in, Path out, FileRoots r) {
        return assertThrows(IllegalArgumentException.class, () -> bind(in, out, r)).getMessage();
    }

    private static Config node(Map<String, Object> settings) {
        Map<String, Object> values = new HashMap<>(Map.of("grid.host", "127.0.0.1", "grid.bind-host", ""));
        values.putAll(settings);
        return ConfigFactory.parseMap(values).withFallback(ConfigFactory.parseString("grid.files.roots = []"));
    }

    @Test
    void pathsInsideARootAreAccepted() {
        BoundJob<?, ?, ?, ?> job = bind(input, data.resolve("out/deeper"), roots);

        assertEquals(1, job.chunks());
    }

    @Test
    void anOutputOutsideEveryRootIsRejectedNamingTheRootAndNothingIsCreated() {
        Path out = elsewhere.resolve("made/by/the/caller");

        String m = rejected(input, out, roots);

        assertTrue(m.startsWith("--param output: " + out + " is outside this node's file roots " + data
            + " (grid.files.roots)"), m);
        assertFalse(Files.exists(elsewhere.resolve("made")), "nothing is created outside the roots");
    }

    @Test
    void anInputOutsideEveryRootIsRejectedNamingTheRoot() {
        String m = rejected(elsewhere, data.resolve("out"), roots);

        assertTrue(m.startsWith("--param input: " + elsewhere + " is outside"), m);
        assertTrue(m.contains(data.toString()), m);
        assertFalse(Files.exists(data.resolve("out")));
    }

    @Test
    void aLinkInsideARootThatLeadsOutsideIsFollowedAndRejected() throws IOException {
        Path link = Files.createSymbolicLink(data.resolve("link"), elsewhere);

        String in = rejected(link, data.resolve("out"), roots);
        String out = rejected(input, link.resolve("out"), roots);

        assertTrue(in.contains("--param input: " + link + " (which resolves to " + elsewhere.toRealPath() + ")"), in);
        assertTrue(out.contains("--param output: " + link.resolve("out") + " (which resolves to "), out);
        assertFalse(Files.exists(elsewhere.resolve("out")));
    }

    @Test
    void anImageThatIsALinkOutsideTheRootsIsRejectedButOneInsideIsRead() throws IOException {
        Files.createSymbolicLink(input.resolve("inside.png"), input.resolve("a.png"));
        bind(input, data.resolve("out"), roots);
        Path leak = Files.createSymbolicLink(input.resolve("leak.png"), elsewhere.resolve("c.png"));

        String m = rejected(input, data.resolve("out"), roots);

        assertTrue(m.startsWith("--param input: " + leak + " (which resolves to " + elsewhere.toRealPath().resolve("c.png")
            + ") is outside this node's file roots " + data), m);
        bind(input, data.resolve("out"), FileRoots.UNRESTRICTED);  // without roots, an image like any other
    }

    @Test
    void dotDotCannotClimbOutOfARoot() {
        String m = rejected(input, data.resolve("../elsewhere/out"), roots);

        assertTrue(m.startsWith("--param output:"), m);
        assertTrue(m.contains("outside this node's file roots"), m);
    }

    @Test
    void aRootThatIsALinkHoldsWhatItLeadsTo() throws IOException {
        Path linkedRoot = Files.createSymbolicLink(dir.resolve("linked-root"), data);

        bind(input, data.resolve("out"), FileRoots.of(List.of(linkedRoot)));
        bind(linkedRoot.resolve("in"), linkedRoot.resolve("out"), FileRoots.of(List.of(data)));
    }

    @Test
    void anyOfSeveralRootsWill() {
        FileRoots two = FileRoots.of(List.of(data, elsewhere));

        bind(input, elsewhere.resolve("out"), two);
        String m = rejected(input, dir.resolve("third"), two);
        assertTrue(m.contains(data + ", " + elsewhere + " (grid.files.roots); give a path inside one of them"), m);
    }

    @Test
    void aNodeOnLoopbackWithoutRootsIsUnrestricted() {
        for (String host : List.of("127.0.0.1", "localhost", "::1", "127.0.1.1")) {
            assertTrue(FileRoots.from(node(Map.of("grid.host", host))).unrestricted(), host);
        }
        bind(input, elsewhere.resolve("out"), FileRoots.from(node(Map.of())));
    }

    @Test
    void aNodeOffLoopbackWithoutRootsRefusesFileWorkloadsButRunsOthers() {
        FileRoots offLoopback = FileRoots.from(node(Map.of("grid.host", "10.1.2.3")));

        String m = rejected(input, data.resolve("out"), offLoopback);

        assertEquals("grayscale reads and writes files (--param input), and this node is bound to 10.1.2.3, off"
            + " loopback: configure grid.files.roots (GRID_FILES_ROOTS) to run file workloads", m);
        assertEquals(2, BoundJob.bind("leibniz-pi", Map.of("terms", "1000"), 2, 10, offLoopback).chunks());
    }

    @Test
    void listeningOnAllInterfacesOrServingHttpOffLoopbackIsOffLoopback() {
        assertFalse(FileRoots.from(node(Map.of("grid.bind-host", "0.0.0.0"))).unrestricted());
        assertFalse(FileRoots.from(node(Map.of("grid.http.enabled", true, "grid.http.host", "0.0.0.0")))
            .unrestricted());
        assertTrue(FileRoots.from(node(Map.of("grid.http.enabled", false, "grid.http.host", "0.0.0.0")))
            .unrestricted());
    }

    @Test
    void configuredRootsApplyOnLoopbackTooAndMayBeOneCommaSeparatedString() {
        FileRoots fromList = FileRoots.from(node(Map.of("grid.files.roots", List.of(data.toString()))));
        FileRoots fromString = FileRoots.from(node(Map.of("grid.files.roots", elsewhere + ", " + data)));

        assertTrue(rejected(input, elsewhere.resolve("out"), fromList).contains("outside"));
        bind(input, elsewhere.resolve("out"), fromString);
    }

    @Test
    void aRelativeRootIsAConfigurationError() {
        String m = assertThrows(IllegalArgumentException.class,
            () -> FileRoots.from(node(Map.of("grid.files.roots", List.of("data"))))).getMessage();

        assertEquals("grid.files.roots: \"data\" is not an absolute path; give each root from /", m);
    }

    @Test
    void aPathWithANewlineOrOtherControlCharacterIsRejected() {
        for (String bad : List.of("out\nput", "out\u0000put", "out\tput", "out\u007fput")) {
            String m = assertThrows(IllegalArgumentException.class, () -> BoundJob.bind("grayscale",
                Map.of("input", input.toString(), "output", data + "/" + bad), 0, GridHarness.MAX_CHUNKS))
                .getMessage();
            assertTrue(m.startsWith("--param output: the path has a control character (U+"), m);
        }
        try (var entries = Files.list(data)) {
            assertEquals(List.of(input), entries.toList(), "nothing created");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aWorkerChecksItsOwnRootsUnlessTheChunksTravel() {
        FileRoots offLoopback = FileRoots.from(node(Map.of("grid.host", "10.1.2.3")));
        Map<String, String> paths = Map.of("input", input.toString(), "output", data.resolve("out").toString());
        Map<String, String> inline = new HashMap<>(paths);
        inline.put("inline", "true");

        assertThrows(IllegalArgumentException.class, () -> BoundJob.bindOnWorker("grayscale", paths, 1, offLoopback));
        // Inline, the head reads and writes every file; the worker touches none of these paths.
        assertEquals(1, BoundJob.bindOnWorker("grayscale", inline, 1, offLoopback).chunks());
        assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bindOnWorker("grayscale", paths, 1, FileRoots.of(List.of(elsewhere))));
    }
}
