package org.pekkogrid.workloads.grayscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.LocalChunkContext;

/**
 * Paths mode when chunks run more than once: a retry after a worker died mid-chunk, a copy of
 * an overdue chunk, the chunks a standby head runs again after it resumed a job. Their outputs
 * are on the shared filesystem already; the job's answer does not show it, and no output is
 * written twice.
 */
class PathsModeRerunTest {

    static final int IMAGES = 10;
    static final int CORRUPT = 3;
    static final long CHUNKS = 5;

    /** Thirteen small files in five chunks of 3, 3, 3, 2 and 2; the third, seventh and eleventh are broken. */
    private static ImageGenerator.Generated generate(Path input) throws IOException {
        return ImageGenerator.generate(input, IMAGES, 64, 48, CORRUPT, 13);
    }

    @ParameterizedTest(name = "overwrite={0}")
    @ValueSource(booleans = {false, true})
    void aChunkRunTwiceCountsTheSameAndWritesEachOutputOnce(boolean overwrite, @TempDir Path dir) throws Exception {
        Path input = dir.resolve("in");
        Path out = dir.resolve("out");
        generate(input);
        BoundJob<?, ?, ?, ?> worker = bind(GrayscaleTest.params(input, out, "overwrite", String.valueOf(overwrite)));
        ChunkOutcome first = (ChunkOutcome) worker.runChunk(0, new LocalChunkContext(0, 0));
        Map<String, Object> written = GrayscaleTest.fileKeys(out);

        ChunkOutcome again = (ChunkOutcome) worker.runChunk(0, new LocalChunkContext(0, 1));

        assertEquals(GrayscaleTest.withoutTimes(first), GrayscaleTest.withoutTimes(again));
        assertTrue(first.ok() == 2 && first.failed() == 1 && first.skipped() == 0, "3 images, the third broken: " + first);
        assertEquals(first.ok(), written.size());
        assertEquals(written, GrayscaleTest.fileKeys(out), "no output written again");
    }

    /**
     * The head folds two chunks, saves, folds a third and dies; a worker writing a fourth chunk
     * is killed during its last output. The standby head resumes from the save: the third chunk
     * runs again, the fourth is retried, and the fifth runs twice (overdue, then copied). A file
     * of the user's stands under one output's name throughout.
     */
    @Test
    void aResumedJobWithChunksRunAgainEndsWithTheAnswerOfOneThatNeverStopped(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in");
        Path userImage = generate(input).images().get(IMAGES - 1);
        Path reference = dir.resolve("reference");
        Path out = dir.resolve("out");
        Map<String, String> params = GrayscaleTest.params(input, out);
        BoundJob<?, ?, ?, ?> head = bind(params);
        ImageChunk fourth = ((Grayscale) head.workload()).split((Grayscale.Params) head.params(), CHUNKS).chunk(3);
        List<String> fourthNames = fourth.items().stream().map(ImageChunk.Item::name).toList();
        GrayscaleTest.usersFile(reference, userImage);
        GrayscaleTest.usersFile(out, userImage);
        Summary uninterrupted = GridHarness.run(GrayscaleTest.params(input, reference), CHUNKS).answer();

        var fold = head.newFold();
        fold.add(0, run(head, 0, 0));
        fold.add(2, run(head, 2, 0));
        byte[] saved = fold.saveState();
        fold.add(1, run(head, 1, 0));  // lost with the head
        run(head, 3, 0);
        String lastOfFourth = fourthNames.stream().filter(name -> Files.exists(out.resolve(name)))
            .reduce((a, b) -> b).orElseThrow();
        byte[] whole = Files.readAllBytes(out.resolve(lastOfFourth));
        Files.delete(out.resolve(lastOfFourth));
        String killedWriters = ".grid-61d1e.tmp";
        Files.write(out.resolve(killedWriters), Arrays.copyOf(whole, whole.length / 2));
        Map<String, Object> before = GrayscaleTest.fileKeys(out);

        BoundJob<?, ?, ?, ?> standby = bind(params);
        var resumed = standby.resumeFold(saved);
        resumed.add(1, run(standby, 1, 0));
        resumed.add(3, run(standby, 3, 1));
        run(standby, 4, 0);  // overdue: its result never arrives
        resumed.add(4, run(standby, 4, 1));

        assertEquals(GrayscaleTest.withoutTimes(uninterrupted), GrayscaleTest.withoutTimes((Summary) resumed.answer()));
        assertTrue(uninterrupted.ok() == IMAGES - 1 && uninterrupted.skipped() == 1, uninterrupted.toString());
        Set<String> listing = new TreeSet<>(GrayscaleTest.listing(reference));
        listing.add(killedWriters);
        assertEquals(listing, GrayscaleTest.listing(out), "the outputs, and the killed writer's file ignored");
        for (String name : GrayscaleTest.listing(reference)) {
            assertArrayEquals(Files.readAllBytes(reference.resolve(name)), Files.readAllBytes(out.resolve(name)), name);
        }
        Map<String, Object> after = GrayscaleTest.fileKeys(out);
        after.keySet().retainAll(before.keySet());
        assertEquals(before, after, "every file there before the resume is as it was; the output cut short is new");
    }

    private static BoundJob<?, ?, ?, ?> bind(Map<String, String> params) {
        return BoundJob.bind("grayscale", params, CHUNKS, GridHarness.MAX_CHUNKS);
    }

    /** A chunk run on a worker, its result as the head receives it. */
    private static Object run(BoundJob<?, ?, ?, ?> job, long index, int attempt) throws Exception {
        Object outcome = job.runChunk(index, new LocalChunkContext(index, attempt));
        return job.decodeResults(job.encodeResults(new ChunkOutcome[] {(ChunkOutcome) outcome}))[0];
    }
}
