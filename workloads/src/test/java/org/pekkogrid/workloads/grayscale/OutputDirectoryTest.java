package org.pekkogrid.workloads.grayscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pekkogrid.workloads.grayscale.OutputDirectory.Written;

/** How one output reaches the output directory: whole, once, and never over a file of the user's. */
class OutputDirectoryTest {

    /** Longer than one compare block, so that a difference in the last block is found too. */
    static final byte[] BYTES = new byte[200_000];

    static {
        new SplittableRandom(5).nextBytes(BYTES);
    }

    @ParameterizedTest(name = "overwrite={0}")
    @ValueSource(booleans = {false, true})
    void anOutputIsWrittenWholeUnderItsNameAndNothingElseStays(boolean overwrite, @TempDir Path dir) throws Exception {
        assertEquals(Written.WROTE, new OutputDirectory(dir, overwrite).write("a.jpg", BYTES));
        assertArrayEquals(BYTES, Files.readAllBytes(dir.resolve("a.jpg")));
        assertEquals(Set.of("a.jpg"), GrayscaleTest.listing(dir), "no temporary file left");
    }

    /** A chunk that runs again, or a job run again, finds the outputs it makes: they count, unwritten. */
    @ParameterizedTest(name = "overwrite={0}")
    @ValueSource(booleans = {false, true})
    void anOutputThatHoldsTheseBytesIsFoundAndNotWrittenAgain(boolean overwrite, @TempDir Path dir) throws Exception {
        OutputDirectory output = new OutputDirectory(dir, overwrite);
        output.write("a.jpg", BYTES);
        Map<String, Object> written = GrayscaleTest.fileKeys(dir);

        assertEquals(Written.FOUND, output.write("a.jpg", BYTES.clone()));
        assertEquals(Written.FOUND, new OutputDirectory(dir, !overwrite).write("a.jpg", BYTES.clone()));
        assertEquals(written, GrayscaleTest.fileKeys(dir));
        assertTrue(Written.FOUND.counts() && Written.WROTE.counts());
    }

    /** Other bytes are not this job's output: kept (skipped) with overwrite=false, replaced with overwrite=true. */
    @Test
    void anOutputWithOtherBytesIsKeptUnlessOverwriteIsTrue(@TempDir Path dir) throws Exception {
        byte[] lastByteDiffers = BYTES.clone();
        lastByteDiffers[BYTES.length - 1] ^= 1;
        List<byte[]> others = List.of(lastByteDiffers, Arrays.copyOf(BYTES, BYTES.length / 2),
            Arrays.copyOf(BYTES, BYTES.length + 1), new byte[0]);
        for (byte[] other : others) {
            Files.write(dir.resolve("a.jpg"), other);
            assertEquals(Written.KEPT, new OutputDirectory(dir, false).write("a.jpg", BYTES), other.length + " bytes");
            assertArrayEquals(other, Files.readAllBytes(dir.resolve("a.jpg")));
            assertEquals(Written.WROTE, new OutputDirectory(dir, true).write("a.jpg", BYTES), other.length + " bytes");
            assertArrayEquals(BYTES, Files.readAllBytes(dir.resolve("a.jpg")));
        }
        assertFalse(Written.KEPT.counts());
        assertEquals(Set.of("a.jpg"), GrayscaleTest.listing(dir));
    }

    /** A link to a file with these very bytes is still not an output of this job's. */
    @Test
    void aSymbolicLinkIsNotFollowed(@TempDir Path dir) throws Exception {
        Path elsewhere = Files.write(dir.resolve("elsewhere"), BYTES);
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.createSymbolicLink(out.resolve("a.jpg"), elsewhere);

        assertEquals(Written.KEPT, new OutputDirectory(out, false).write("a.jpg", BYTES));
        assertTrue(Files.isSymbolicLink(out.resolve("a.jpg")));
        assertEquals(Written.WROTE, new OutputDirectory(out, true).write("a.jpg", BYTES));
        assertTrue(Files.isRegularFile(out.resolve("a.jpg"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    /** A writer killed mid-write leaves only its hidden temporary file: no output, nothing a re-run skips. */
    @Test
    void aHalfWrittenTemporaryFileOfAKilledWriterIsIgnored(@TempDir Path dir) throws Exception {
        Path leftOver = Files.write(dir.resolve(".grid-5eed.tmp"), Arrays.copyOf(BYTES, BYTES.length / 2));

        assertEquals(Written.WROTE, new OutputDirectory(dir, false).write("a.jpg", BYTES));
        assertArrayEquals(BYTES, Files.readAllBytes(dir.resolve("a.jpg")));
        assertEquals(Set.of(".grid-5eed.tmp", "a.jpg"), GrayscaleTest.listing(dir));
        assertEquals(BYTES.length / 2, Files.size(leftOver), "another writer's file, left alone");
    }

    /** Duplicates of one chunk running at once (an overdue chunk and its copy): one writes, the others find it. */
    @ParameterizedTest(name = "overwrite={0}")
    @ValueSource(booleans = {false, true})
    void ofAttemptsRacingToWriteOneOutputOneWrites(boolean overwrite, @TempDir Path dir) throws Exception {
        int attempts = 4;
        ExecutorService threads = Executors.newFixedThreadPool(attempts);
        try {
            for (int round = 0; round < 50; round++) {
                String name = "img-" + round + ".jpg";
                CyclicBarrier start = new CyclicBarrier(attempts);
                List<Future<Written>> racing = new ArrayList<>();
                for (int a = 0; a < attempts; a++) {
                    racing.add(threads.submit(() -> {
                        start.await();
                        return new OutputDirectory(dir, overwrite).write(name, BYTES);
                    }));
                }
                List<Written> outcomes = new ArrayList<>();
                for (Future<Written> f : racing) outcomes.add(f.get(30, TimeUnit.SECONDS));
                assertEquals(1, outcomes.stream().filter(w -> w == Written.WROTE).count(), name + ": " + outcomes);
                assertEquals(attempts - 1, outcomes.stream().filter(w -> w == Written.FOUND).count(), name + ": " + outcomes);
                assertArrayEquals(BYTES, Files.readAllBytes(dir.resolve(name)));
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(50, GrayscaleTest.listing(dir).size(), "no temporary file left");
    }
}
