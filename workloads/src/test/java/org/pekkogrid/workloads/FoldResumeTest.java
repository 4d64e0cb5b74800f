package org.pekkogrid.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pekkogrid.workloads.grayscale.ImageGenerator;

/**
 * A standby head resumes a job from the fold state the dead head saved. For every built-in
 * workload: folding some chunks in a random order, saving, going on from those bytes in a job
 * bound afresh from the same spec, and folding the rest ends on the very answer (to the bit) of
 * a fold that took every chunk in index order and never stopped.
 */
class FoldResumeTest {

    static final long MAX_CHUNKS = 100_000_000;
    /** A state is saved every few seconds, for jobs of up to 10^7 chunks. */
    static final int MAX_STATE_BYTES = 4096;
    /** The test's own workload, which declares no fold state (see test resources). */
    static final String UNSAVED = "unsaved-tally";

    private static final Map<String, Object[]> RESULTS = new ConcurrentHashMap<>();

    @TempDir
    static Path root;
    static Path images;

    @BeforeAll
    static void generateImages() throws IOException {
        images = root.resolve("images");
        ImageGenerator.generate(images, 10, 64, 48, 4, 3);
    }

    /** A small job of every built-in workload, grayscale in both of its modes. */
    static Stream<Arguments> jobs() {
        return Stream.of(
            job("leibniz-pi", 64, "terms", "1000003"),
            job("monte-carlo-pi", 32, "samples", "1000000", "seed", "7"),
            job("prime-count", 16, "n", "1000000"),
            job("prime-search", 16, "bits", "128", "count", "48"),
            job("prime-search", 12, "bits", "64", "count", "5000", "out", root.resolve("primes.txt").toString()),
            job("factor", 12, "bits", "40", "count", "120"),
            job("factor", 12, "bits", "40", "count", "3000", "out", root.resolve("factors.txt").toString()),
            job("matmul", 8, "n", "64"),
            job("stats", 16, "rows", "100000", "bins", "20"),
            job("grayscale", 7, "input", images.toString(), "output", root.resolve("paths").toString()),
            job("grayscale", 5, "input", images.toString(), "output", root.resolve("inline").toString(), "inline", "true"),
            job("noop", 40),
            job("sleep", 20, "millis", "0"),
            job("flaky", 30, "rate", "0.3"));
    }

    private static Arguments job(String workload, long chunks, String... params) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < params.length; i += 2) map.put(params[i], params[i + 1]);
        return Arguments.of(workload, map, chunks);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jobs")
    void aFoldResumedTwiceFromSavedStatesEndsOnTheAnswerOfOneThatNeverStopped(
            String workload, Map<String, String> params, long chunks) {
        Object[] results = results(workload, params, chunks);
        int n = results.length;

        var reference = bind(workload, elsewhere(params, "reference"), chunks).newFold();
        for (int i = 0; i < n; i++) reference.add(i, results[i]);
        Object answer = reference.answer();

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        Random random = new Random(workload.hashCode() + n);
        Collections.shuffle(order, random);
        int firstSave = 1 + random.nextInt(n / 2);
        int secondSave = firstSave + 1 + random.nextInt(n - firstSave - 1);

        var head = bind(workload, params, chunks).newFold();
        fold(head, results, order, 0, firstSave);
        byte[] first = head.saveState();
        fold(head, results, order, firstSave, firstSave + 2);  // folded, then lost with the head

        var standby = bind(workload, params, chunks).resumeFold(first);
        fold(standby, results, order, firstSave, secondSave);
        byte[] second = standby.saveState();
        fold(standby, results, order, secondSave, Math.min(n, secondSave + 2));

        var last = bind(workload, params, chunks);
        var resumed = last.resumeFold(second);
        fold(resumed, results, order, secondSave, n);

        assertEquals(ResultCodec.toJson(answer), ResultCodec.toJson(resumed.answer()));
        assertEquals(last.summarize(answer), resumed.summary());
        assertTrue(first.length < MAX_STATE_BYTES && second.length < MAX_STATE_BYTES,
            "states of " + first.length + " and " + second.length + " bytes");
    }

    @Test
    void everyBuiltInWorkloadIsResumedAboveAndDeclaresItsFoldState() {
        Set<String> tested = jobs().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(TreeSet::new));
        Set<String> builtIn = Workloads.all().stream().map(Workload::name).filter(name -> !name.equals(UNSAVED))
            .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(builtIn, tested);
        for (Workload<?, ?, ?, ?> w : Workloads.all()) {
            assertEquals(!w.name().equals(UNSAVED), w.foldStateType() != null, w.name());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jobs")
    void everyDamagedByteOfASavedStateIsRefusedNamingTheWorkload(String workload, Map<String, String> params, long chunks) {
        Object[] results = results(workload, params, chunks);
        var job = bind(workload, elsewhere(params, "damaged"), chunks);
        var fold = job.newFold();
        for (int i = 0; i < results.length; i += 3) fold.add(i, results[i]);
        byte[] state = fold.saveState();

        for (int i = 0; i < state.length; i++) {
            for (int flip : new int[] {0x01, 0x80, 0xff}) {
                byte[] damaged = state.clone();
                damaged[i] ^= (byte) flip;
                assertRefused(workload, () -> job.resumeFold(damaged), "byte " + i + " ^ " + flip);
            }
        }
        assertRefused(workload, () -> job.resumeFold(Arrays.copyOf(state, state.length - 1)), "cut short");
        assertRefused(workload, () -> job.resumeFold(new byte[0]), "empty");
        assertRefused(workload, () -> job.resumeFold(null), "null");
        assertRefused(workload, () -> job.resumeFold("not a fold".getBytes(StandardCharsets.UTF_8)), "text");
        assertEquals(ResultCodec.toJson(fold.answer()), ResultCodec.toJson(job.resumeFold(state).answer()));
    }

    @Test
    void theStateOfAnotherJobOrWorkloadIsRefused() {
        var job = bind("prime-count", Map.of("n", "1000"), 8);
        var fold = job.newFold();
        fold.add(3, results("prime-count", Map.of("n", "1000"), 8)[3]);
        byte[] state = fold.saveState();

        IllegalStateException otherN = assertThrows(IllegalStateException.class,
            () -> bind("prime-count", Map.of("n", "2000"), 8).resumeFold(state));
        assertEquals("prime-count: this fold state was saved for Params[n=1000] in 8 chunks, not for"
            + " Params[n=2000] in 8 chunks; a job resumes only from its own state", otherN.getMessage());
        IllegalStateException otherChunks = assertThrows(IllegalStateException.class,
            () -> bind("prime-count", Map.of("n", "1000"), 9).resumeFold(state));
        assertTrue(otherChunks.getMessage().contains("not for Params[n=1000] in 9 chunks"), otherChunks.getMessage());
        IllegalStateException otherWorkload = assertThrows(IllegalStateException.class,
            () -> bind("noop", Map.of(), 8).resumeFold(state));
        assertEquals("noop: this fold state was saved by workload prime-count; a job resumes only from its own state",
            otherWorkload.getMessage());
    }

    @Test
    void aWorkloadThatDeclaresNoFoldStateNeitherSavesNorResumes() {
        var job = bind(UNSAVED, Map.of(), 5);
        assertFalse(job.foldResumes());
        var fold = job.newFold();
        fold.add(0, 7L);
        String why = UNSAVED + ": its folds cannot be saved (it declares no foldStateType);"
            + " a resumed job runs again from its first chunk";
        assertEquals(why, assertThrows(UnsupportedOperationException.class, fold::saveState).getMessage());
        assertEquals(why, assertThrows(UnsupportedOperationException.class, () -> job.resumeFold(new byte[1])).getMessage());
        assertTrue(bind("noop", Map.of(), 5).foldResumes());
    }

    private static void assertRefused(String workload, Executable resume, String what) {
        RuntimeException e = assertThrows(RuntimeException.class, resume, what);
        assertTrue(e instanceof IllegalStateException || e instanceof UncheckedIOException, what + ": " + e);
        assertTrue(e.getMessage().startsWith(workload + ": "), what + ": " + e.getMessage());
    }

    /** The same job writing its files elsewhere: grayscale inline writes outputs as it folds. */
    private static Map<String, String> elsewhere(Map<String, String> params, String suffix) {
        Map<String, String> moved = new HashMap<>(params);
        moved.computeIfPresent("output", (k, out) -> out + "-" + suffix);
        return moved;
    }

    private static BoundJob<?, ?, ?, ?> bind(String workload, Map<String, String> params, long chunks) {
        return BoundJob.bind(workload, params, chunks, MAX_CHUNKS);
    }

    /** Each job's chunks run once: in paths mode grayscale's run writes the outputs (a second run would find them). */
    private static Object[] results(String workload, Map<String, String> params, long chunks) {
        return RESULTS.computeIfAbsent(workload + params + chunks, key -> runChunks(bind(workload, params, chunks)));
    }

    /** Every chunk's result as the head receives it: retried until an attempt succeeds, then through the wire codec. */
    private static Object[] runChunks(BoundJob<?, ?, ?, ?> job) {
        Object[] results = new Object[Math.toIntExact(job.chunks())];
        for (int i = 0; i < results.length; i++) {
            Object result = null;
            for (int attempt = 0; ; attempt++) {
                try {
                    result = job.runChunk(i, new LocalChunkContext(i, attempt));
                    break;
                } catch (IllegalStateException e) {
                    if (attempt == 5) throw e;  // flaky fails some attempts by design
                } catch (Exception e) {
                    throw new AssertionError("chunk " + i + " of " + job.workload().name() + ": " + e, e);
                }
            }
            Object[] one = (Object[]) Array.newInstance(job.workload().resultType(), 1);
            one[0] = result;
            results[i] = job.hasResults() ? job.decodeResults(job.encodeResults(one))[0] : null;
        }
        return results;
    }

    private static void fold(BoundJob<?, ?, ?, ?>.Fold fold, Object[] results, List<Integer> order, int from, int to) {
        for (int k = from; k < to; k++) fold.add(order.get(k), results[order.get(k)]);
    }
}
