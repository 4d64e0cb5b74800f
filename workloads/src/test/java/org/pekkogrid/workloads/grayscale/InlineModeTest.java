package org.pekkogrid.workloads.grayscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.LocalChunkContext;

/**
 * Inline mode on the workload's side of the seam: the head reads images into chunks, the chunk
 * crosses the wire as CBOR, the worker runs it without touching a file, and the outputs come
 * back in the result for the head's fold to write.
 */
class InlineModeTest {

    static final ObjectMapper CBOR = new CBORMapper();

    @Test
    void travellingChunksWriteWhatTheSequentialRunWrites(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        ImageGenerator.Generated generated = ImageGenerator.generate(in, 10, 320, 240, 4, 11);
        Path seqOut = dir.resolve("seq");
        Path inlineOut = dir.resolve("inline");
        GridHarness.runSequential(Map.of("input", in.toString(), "output", seqOut.toString()));

        BoundJob<?, ?, ?, ?> head = BoundJob.bind("grayscale",
            Map.of("input", in.toString(), "output", inlineOut.toString(), "inline", "true"), 0, GridHarness.MAX_CHUNKS);
        Grayscale workload = (Grayscale) head.workload();
        Grayscale.Params params = (Grayscale.Params) head.params();
        assertTrue(workload.chunksTravel(params));
        ChunkSource<ImageChunk> source = workload.split(params, head.chunks());
        List<byte[]> wire = new ArrayList<>();
        for (long i = 0; i < source.count(); i++) wire.add(CBOR.writeValueAsBytes(source.chunk(i)));

        // The worker has no filesystem: hide the input from it.
        Files.move(in, dir.resolve("elsewhere"));
        var fold = head.newFold();
        Map<String, String> failures = new TreeMap<>();
        for (int i = 0; i < wire.size(); i++) {
            ImageChunk chunk = CBOR.readValue(wire.get(i), workload.chunkType());
            LocalChunkContext ctx = new LocalChunkContext(i, 0);
            Set<String> written = Files.exists(inlineOut) ? GrayscaleTest.listing(inlineOut) : Set.of();
            ChunkOutcome result = workload.run(chunk, ctx);
            assertEquals(written, Files.exists(inlineOut) ? GrayscaleTest.listing(inlineOut) : Set.of(),
                "a worker writes no file in inline mode: the head's fold does");
            ctx.failures().forEach(f -> failures.put(f.item(), f.reason()));
            fold.add(i, head.decodeResults(head.encodeResults(new ChunkOutcome[] {result}))[0]);
        }
        Summary answer = (Summary) fold.answer();

        assertEquals(10, answer.ok());
        assertEquals(4, answer.failed());
        assertEquals(generated.corrupt().stream().map(Path::toString).sorted().toList(), List.copyOf(failures.keySet()));
        assertEquals(GrayscaleTest.listing(seqOut), GrayscaleTest.listing(inlineOut));
        for (String name : GrayscaleTest.listing(seqOut)) {
            assertArrayEquals(Files.readAllBytes(seqOut.resolve(name)), Files.readAllBytes(inlineOut.resolve(name)), name);
        }
    }

    /**
     * A worker's result names the outputs the head writes; a forged or broken one must not make
     * the head write outside the output directory. Every name that is not a plain image file
     * name fails its item with the reason, and the other outputs of the chunk are still written.
     */
    @Test
    void outputNamesThatAreNotPlainFileNamesFailTheirItemAndWriteNothing(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("a.png"), new byte[] {1});
        Path out = dir.resolve("sub").resolve("out");
        BoundJob<?, ?, ?, ?> head = BoundJob.bind("grayscale",
            Map.of("input", in.toString(), "output", out.toString(), "inline", "true"), 0, GridHarness.MAX_CHUNKS);
        Path absolute = dir.resolve("abs.png");
        List<String> forged = List.of("../escape.png", "../../escape.png", absolute.toString(), "a/b.png", "", ".",
            "..", "x\u0000.png", "x\n.png", ".hidden.png", "notes.txt", "..\\escape.png");
        List<ChunkOutcome.Output> outputs = new ArrayList<>();
        for (String name : forged) outputs.add(new ChunkOutcome.Output(name, new byte[] {6, 6, 6}));
        outputs.add(new ChunkOutcome.Output("good.png", new byte[] {4, 2}));
        ChunkOutcome result = new ChunkOutcome(outputs.size(), 0, 0, 1, 3L * outputs.size(), 0, 0, 0, List.of(),
            outputs);

        var fold = head.newFold();
        fold.add(0, head.decodeResults(head.encodeResults(new ChunkOutcome[] {result}))[0]);
        Summary answer = (Summary) fold.answer();

        assertEquals(1, answer.ok());
        assertEquals(forged.size(), answer.failed());
        assertEquals(forged.size(), answer.failures().size());
        for (ChunkOutcome.Failure f : answer.failures()) {
            assertTrue(f.item().startsWith(out + "/\""), f.item());
            assertTrue(f.reason().startsWith("the worker's result names this output ") && f.reason().endsWith("; nothing written"),
                f.reason());
        }
        assertTrue(answer.failures().stream().anyMatch(f -> f.item().equals(out + "/\"../escape.png\"")
            && f.reason().contains("not a plain file name")), answer.failures().toString());
        assertEquals(Set.of("good.png"), GrayscaleTest.listing(out));
        assertArrayEquals(new byte[] {4, 2}, Files.readAllBytes(out.resolve("good.png")));
        assertEquals(Set.of("in", "sub"), GrayscaleTest.listing(dir), "nothing written beside the output directory");
        assertEquals(Set.of("out"), GrayscaleTest.listing(dir.resolve("sub")), "nor above it");
        assertFalse(Files.exists(absolute));
    }

    /**
     * The head folded and wrote two chunks after its last saved state, then died: the standby
     * head folds them again from that state. Their outputs are there with the bytes they bring,
     * so they count as written, and are not written again; a file of the user's is still kept.
     */
    @Test
    void aResumedFoldCountsWhatTheDeadHeadWroteAfterItsLastSaveAsWritten(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        List<Path> images = ImageGenerator.generate(in, 6, 64, 48, 0, 9).images();
        Path out = dir.resolve("out");
        Path mine = GrayscaleTest.usersFile(out, images.get(5));
        Map<String, String> params = Map.of("input", in.toString(), "output", out.toString(), "inline", "true");
        BoundJob<?, ?, ?, ?> head = BoundJob.bind("grayscale", params, 3, GridHarness.MAX_CHUNKS);
        Object[] results = new Object[3];
        for (int i = 0; i < 3; i++) {
            ChunkOutcome outcome = (ChunkOutcome) head.runChunk(i, new LocalChunkContext(i, 0));
            results[i] = head.decodeResults(head.encodeResults(new ChunkOutcome[] {outcome}))[0];
        }

        var fold = head.newFold();
        fold.add(0, results[0]);
        byte[] saved = fold.saveState();
        fold.add(2, results[2]);
        fold.add(1, results[1]);
        Map<String, Object> files = GrayscaleTest.fileKeys(out);

        var resumed = BoundJob.bind("grayscale", params, 3, GridHarness.MAX_CHUNKS).resumeFold(saved);
        resumed.add(1, results[1]);
        resumed.add(2, results[2]);
        Summary answer = (Summary) resumed.answer();

        assertEquals(6, answer.images());
        assertEquals(5, answer.ok());
        assertEquals(1, answer.skipped());
        assertEquals(files, GrayscaleTest.fileKeys(out), "no output written again");
        assertArrayEquals(GrayscaleTest.USERS_FILE, Files.readAllBytes(mine));
        assertEquals(GrayscaleTest.names(images), GrayscaleTest.listing(out));
    }

    /**
     * The outputs of the same job in paths mode hold the bytes inline mode makes: an inline run
     * that never stopped counts them as written, as the paths run did, and writes none again.
     */
    @Test
    void bothModesCountTheOutputsTheJobMakesAsWritten(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        List<Path> images = ImageGenerator.generate(in, 6, 64, 48, 1, 4).images();
        Path out = dir.resolve("out");
        GrayscaleTest.usersFile(out, images.get(0));
        Summary first = GridHarness.run(GrayscaleTest.params(in, out), 3).answer();
        Map<String, Object> written = GrayscaleTest.fileKeys(out);

        Summary inline = GridHarness.run(GrayscaleTest.params(in, out, "inline", "true"), 3).answer();

        assertEquals(GrayscaleTest.withoutTimes(first), GrayscaleTest.withoutTimes(inline));
        assertEquals(List.of(5L, 1L, 1L), List.of(inline.ok(), inline.skipped(), inline.failed()));
        assertEquals(written, GrayscaleTest.fileKeys(out), "no output written again");
    }

    @Test
    void aFileTheHeadCannotReadTravelsAsAFailedItem(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        List<Path> images = ImageGenerator.generate(in, 3, 64, 48, 0, 5).images();
        BoundJob<?, ?, ?, ?> head = BoundJob.bind("grayscale",
            Map.of("input", in.toString(), "output", dir.resolve("out").toString(), "inline", "true"), 1,
            GridHarness.MAX_CHUNKS);
        Grayscale workload = (Grayscale) head.workload();
        ChunkSource<ImageChunk> source = workload.split((Grayscale.Params) head.params(), 1);
        Files.delete(images.get(2));

        LocalChunkContext ctx = new LocalChunkContext(0, 0);
        ChunkOutcome outcome = workload.run(CBOR.readValue(CBOR.writeValueAsBytes(source.chunk(0)), ImageChunk.class), ctx);

        assertEquals(2, outcome.outputs().size());
        assertEquals(images.get(2).toString(), ctx.failures().get(0).item());
        assertTrue(ctx.failures().get(0).reason().startsWith("missing"), ctx.failures().get(0).reason());
    }

    @Test
    void inlineChunksStayWithinTheirByteLimit(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in");
        ImageGenerator.generate(in, 9, 320, 240, 0, 9);  // JPEGs only: the tenth would be a PNG
        long limit = 128 << 10;
        Map<String, String> params = Map.of("input", in.toString(), "output", dir.resolve("out").toString(),
            "inline", "true", "inlineChunkBytes", "128k");

        BoundJob<?, ?, ?, ?> job = BoundJob.bind("grayscale", params, 0, GridHarness.MAX_CHUNKS);
        Grayscale workload = (Grayscale) job.workload();
        ChunkSource<ImageChunk> source = workload.split((Grayscale.Params) job.params(), job.chunks());
        for (long i = 0; i < source.count(); i++) {
            long bytes = source.chunk(i).items().stream().mapToLong(item -> item.bytes().length).sum();
            assertTrue(bytes <= limit, "chunk " + i + " carries " + bytes + " bytes");
        }

        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("grayscale", params, 1, GridHarness.MAX_CHUNKS));
        Matcher advice = Pattern.compile("use at least (\\d+) chunks")
            .matcher(tooFew.getMessage());
        assertTrue(tooFew.getMessage().contains("inlineChunkBytes=128k") && advice.find(), tooFew.getMessage());
        long enough = Long.parseLong(advice.group(1));
        assertEquals(enough, BoundJob.bind("grayscale", params, enough, GridHarness.MAX_CHUNKS).chunks(),
            "the advice works");
    }

    @Test
    void anImageLargerThanTheInlineLimitIsRejected(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in");
        ImageGenerator.generate(in, 1, 640, 480, 0, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoundJob.bind("grayscale",
            Map.of("input", in.toString(), "output", dir.resolve("out").toString(), "inline", "true",
                "inlineChunkBytes", "64k"), 0, GridHarness.MAX_CHUNKS));
        assertTrue(e.getMessage().contains("img-00000.jpg") && e.getMessage().contains("inlineChunkBytes=64k"),
            e.getMessage());
    }
}
