package org.pekkogrid.workloads.grayscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.LocalChunkContext;

class GrayscaleTest {

    static final int IMAGES = 20;
    static final int CORRUPT = 4;  // one of each kind

    @TempDir
    static Path root;
    static Path input;
    static ImageGenerator.Generated generated;

    @BeforeAll
    static void generateImages() throws IOException {
        input = root.resolve("in");
        generated = ImageGenerator.generate(input, IMAGES, 320, 240, CORRUPT, 7);
    }

    static Map<String, String> params(Path output, String... more) {
        return params(input, output, more);
    }

    /** A job's parameters: {@code input}, {@code output} and more, as name and value in turn. */
    static Map<String, String> params(Path input, Path output, String... more) {
        Map<String, String> p = new HashMap<>(Map.of("input", input.toString(), "output", output.toString()));
        for (int i = 0; i < more.length; i += 2) p.put(more[i], more[i + 1]);
        return p;
    }

    /** The bytes of a file of the user's that stands under an output's name: the job's to keep. */
    static final byte[] USERS_FILE = "my own file".getBytes(StandardCharsets.UTF_8);

    /** Puts a file of the user's in {@code out} (created when missing) under the output name of {@code image}. */
    static Path usersFile(Path out, Path image) throws IOException {
        Files.createDirectories(out);
        return Files.write(out.resolve(image.getFileName()), USERS_FILE);
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void gridOutputsEqualTheSequentialOutputsPixelForPixel(Op op, @TempDir Path out) throws Exception {
        String opName = op.name().toLowerCase(Locale.ROOT);
        Summary sequential = GridHarness.runSequential(params(out.resolve("seq"), "op", opName));
        GridHarness.Run grid = GridHarness.run(params(out.resolve("grid"), "op", opName), 7);

        assertEquals(IMAGES, sequential.ok());
        assertEquals(IMAGES, grid.answer().ok());
        assertEquals(CORRUPT, grid.answer().failed());
        assertEquals(0, grid.answer().skipped());
        assertEquals(IMAGES + CORRUPT, grid.answer().images());
        assertEquals(IMAGES + CORRUPT, grid.items());
        assertEquals(sequential.bytesWritten(), grid.answer().bytesWritten());

        Set<String> expected = names(generated.images());
        assertEquals(expected, listing(out.resolve("seq")), "outputs of good images only, no temporary files");
        assertEquals(expected, listing(out.resolve("grid")));
        for (String name : expected) {
            Path seq = out.resolve("seq").resolve(name);
            Path grd = out.resolve("grid").resolve(name);
            assertArrayEquals(Files.readAllBytes(seq), Files.readAllBytes(grd), name);
            assertSamePixels(seq, grd, op == Op.BLUR ? 3 : 1);
        }
    }

    @Test
    void eachCorruptFileIsAFailedItemWithItsPathAndReason(@TempDir Path out) throws Exception {
        GridHarness.Run grid = GridHarness.run(params(out), 5);

        Map<String, String> reasons = new TreeMap<>();
        for (LocalChunkContext.Failure f : grid.failures()) {
            assertEquals(null, reasons.put(f.item(), f.reason()), "reported twice: " + f.item());
        }
        Map<String, String> expected = new TreeMap<>();
        for (Path p : generated.corrupt()) {
            String name = p.getFileName().toString();
            expected.put(p.toString(), name.contains("-truncated.jpg") ? "truncated JPEG"
                : name.contains("-truncated.png") ? "truncated PNG"
                : name.contains("-empty") ? "empty file" : "not an image");
        }
        assertEquals(expected.keySet(), reasons.keySet());
        expected.forEach((path, kind) -> assertTrue(reasons.get(path).contains(kind), path + ": " + reasons.get(path)));
        assertEquals(CORRUPT, grid.answer().failures().size(), "the answer lists them too");
        for (Path p : generated.corrupt()) assertFalse(Files.exists(out.resolve(p.getFileName())));
    }

    @Test
    void inputsAreNeverModified(@TempDir Path out) throws Exception {
        Map<String, String> before = hashes(input);
        GridHarness.run(params(out, "op", "edges"), 4);
        GridHarness.runSequential(params(out.resolve("seq"), "op", "blur"));
        assertEquals(before, hashes(input));
    }

    /**
     * A file of the user's under an output's name is kept, and counted as skipped, unless
     * overwrite=true. The outputs of an earlier run of the job hold exactly the bytes it makes:
     * running it again counts them as written, as the first run did, and writes none again.
     */
    @Test
    void anExistingOutputIsKeptUnlessOverwriteIsTrue(@TempDir Path out) throws Exception {
        String name = usersFile(out, generated.images().get(0)).getFileName().toString();

        Summary first = GridHarness.run(params(out), 6).answer();
        assertArrayEquals(USERS_FILE, Files.readAllBytes(out.resolve(name)));
        assertEquals(1, first.skipped());
        assertEquals(IMAGES - 1, first.ok());
        Map<String, Object> written = fileKeys(out);

        Summary again = GridHarness.run(params(out), 6).answer();
        assertEquals(withoutTimes(first), withoutTimes(again));
        assertEquals(CORRUPT, again.failed());
        assertEquals(written, fileKeys(out), "no output written again");

        Summary replaced = GridHarness.run(params(out, "overwrite", "true"), 6).answer();
        assertEquals(IMAGES, replaced.ok());
        assertEquals(0, replaced.skipped());
        assertFalse(Files.readString(out.resolve(name), StandardCharsets.ISO_8859_1).startsWith("my own file"));
        assertImage(out.resolve(name), 1);
        written.remove(name);
        Map<String, Object> after = fileKeys(out);
        after.remove(name);
        assertEquals(written, after, "only the user's file replaced");
    }

    @Test
    void aFileThatDisappearsAfterTheSplitIsAFailedItem(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        for (Path p : generated.images().subList(0, 3)) Files.copy(p, in.resolve(p.getFileName()));
        Map<String, String> params = Map.of("input", in.toString(), "output", dir.resolve("out").toString());
        BoundJob<?, ?, ?, ?> worker = BoundJob.bind("grayscale", params, 1, GridHarness.MAX_CHUNKS);
        Path gone = in.resolve(generated.images().get(1).getFileName());
        Files.delete(gone);

        LocalChunkContext ctx = new LocalChunkContext(0, 0);
        ChunkOutcome outcome = (ChunkOutcome) worker.runChunk(0, ctx);

        assertEquals(List.of(gone.toString()), ctx.failures().stream().map(LocalChunkContext.Failure::item).toList());
        assertTrue(ctx.failures().get(0).reason().startsWith("missing"), ctx.failures().get(0).reason());
        assertEquals(2, outcome.ok());
        assertEquals(1, outcome.failed());
    }

    @Test
    void chunksAreContiguousSlicesOfTheSortedListing(@TempDir Path out) {
        BoundJob<?, ?, ?, ?> job = BoundJob.bind("grayscale", params(out), 0, GridHarness.MAX_CHUNKS);
        Grayscale workload = (Grayscale) job.workload();
        Grayscale.Params p = (Grayscale.Params) job.params();
        assertEquals((IMAGES + CORRUPT + 3) / 4, job.chunks(), "four images per chunk by default");
        var source = workload.split(p, 5);
        List<String> names = Stream.iterate(0L, i -> i < 5, i -> i + 1)
            .flatMap(i -> source.chunk(i).items().stream().map(ImageChunk.Item::name)).toList();
        assertEquals(new TreeSet<>(names).stream().toList(), names);
        assertEquals(IMAGES + CORRUPT, names.size());
        assertTrue(source.chunk(0).items().stream().allMatch(item -> item.bytes() == null), "paths mode ships no bytes");
    }

    @Test
    void requirementsKeepImageChunksOnOpenCvNodes(@TempDir Path out) {
        BoundJob<?, ?, ?, ?> job = BoundJob.bind("grayscale", params(out), 0, GridHarness.MAX_CHUNKS);
        assertEquals(Set.of("opencv"), job.requirements().tags());
    }

    /** Process RSS is what a node's operator sees; Mats that are not released grow it by ~1 MB an image here. */
    @Test
    void nativeMemoryStaysFlatOverManyImages(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        ImageGenerator.generate(in, 10, 640, 480, 0, 3);
        Map<String, String> params = Map.of("input", in.toString(), "output", dir.resolve("out").toString(),
            "overwrite", "true");
        BoundJob<?, ?, ?, ?> worker = BoundJob.bind("grayscale", params, 1, GridHarness.MAX_CHUNKS);
        for (int i = 0; i < 10; i++) worker.runChunk(0, new LocalChunkContext(0, i));  // heap and malloc arenas settle
        long before = residentBytes();
        for (int i = 0; i < 30; i++) {  // 300 images
            ChunkOutcome outcome = (ChunkOutcome) worker.runChunk(0, new LocalChunkContext(0, i));
            assertEquals(10, outcome.ok());
        }
        long grownMegabytes = (residentBytes() - before) >> 20;
        assertTrue(grownMegabytes < 64, "RSS grew by " + grownMegabytes + " MB over 300 images");
    }

    static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    static void assertSamePixels(Path a, Path b, int channels) {
        Mat ma = Imgcodecs.imread(a.toString(), Imgcodecs.IMREAD_UNCHANGED);
        Mat mb = Imgcodecs.imread(b.toString(), Imgcodecs.IMREAD_UNCHANGED);
        try {
            assertFalse(ma.empty(), a + " does not decode");
            assertEquals(channels, ma.channels(), a.toString());
            assertEquals(ma.size(), mb.size());
            assertEquals(ma.type(), mb.type());
            assertEquals(0.0, Core.norm(ma, mb, Core.NORM_INF), a + " and " + b + " differ");
        } finally {
            ma.release();
            mb.release();
        }
    }

    static void assertImage(Path file, int channels) {
        Mat m = Imgcodecs.imread(file.toString(), Imgcodecs.IMREAD_UNCHANGED);
        try {
            assertFalse(m.empty(), file + " does not decode");
            assertEquals(channels, m.channels(), file.toString());
        } finally {
            m.release();
        }
    }

    static Set<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every entry, hidden ones included. */
    static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The answer but for its times, which no two runs share. */
    static Summary withoutTimes(Summary s) {
        return new Summary(s.images(), s.ok(), s.skipped(), s.failed(), s.bytesRead(), s.bytesWritten(), 0, 0, 0,
            s.failures());
    }

    static ChunkOutcome withoutTimes(ChunkOutcome o) {
        return new ChunkOutcome(o.ok(), o.skipped(), o.failed(), o.bytesRead(), o.bytesWritten(), 0, 0, 0,
            o.failures(), o.outputs());
    }

    /** Each file's identity: a file written again (to a temporary file, then linked or renamed) is a new one. */
    static Map<String, Object> fileKeys(Path dir) throws IOException {
        Map<String, Object> keys = new TreeMap<>();
        for (String name : listing(dir)) {
            BasicFileAttributes attributes = Files.readAttributes(dir.resolve(name), BasicFileAttributes.class);
            keys.put(name, attributes.fileKey() + " " + attributes.lastModifiedTime());
        }
        return keys;
    }

    static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString() + " " + Files.getLastModifiedTime(p),
                    HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }
}
