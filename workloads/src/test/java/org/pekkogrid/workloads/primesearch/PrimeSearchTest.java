package org.pekkogrid.workloads.primesearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.LocalGrid;

class PrimeSearchTest {

    private static PrimeSearch.Primes grid(int bits, long count, long seed, long chunks) throws Exception {
        return (PrimeSearch.Primes) LocalGrid.run("prime-search",
            Map.of("bits", Integer.toString(bits), "count", Long.toString(count), "seed", Long.toString(seed)), chunks);
    }

    @Test
    void everyPrimeIsVerifiedOnTheHeadAndTheAnswerIsTheSameForAnyChunking() throws Exception {
        PrimeSearch.Primes one = grid(256, 64, 7, 1);
        assertEquals(new PrimeSearch.Primes(256, 64, 64, 0, one.fingerprint(), one.primes(), null), one);
        assertEquals(64, one.primes().size());
        assertEquals(one, grid(256, 64, 7, 7));
        assertEquals(one, grid(256, 64, 7, 64));
        assertEquals(one, new PrimeSearch().runSequential(new PrimeSearch.Params(256, 64, 7)));
    }

    @Test
    void findsLargePrimesThatSurviveTheWire() throws Exception {
        PrimeSearch.Primes p = grid(1024, 6, 1, 3);
        assertEquals(6, p.verified());
        assertEquals(0, p.failed());
    }

    @Test
    void anotherSeedGivesOtherPrimes() throws Exception {
        assertNotEquals(grid(128, 20, 1, 4).fingerprint(), grid(128, 20, 2, 4).fingerprint());
    }

    /** At 16 bits every claim can be checked exhaustively: prime, and no prime between start and it. */
    @Test
    void eachItemsPrimeIsTheFirstAtOrAboveItsStart() throws Exception {
        PrimeSearch w = new PrimeSearch();
        PrimeSearch.Found found = w.run(new PrimeSearch.Items(16, 3, 100, 400), ChunkContext.local(0));
        for (int i = 0; i < found.primes().length; i++) {
            long start = PrimeFinder.start(3, 100 + i, 16).longValueExact();
            long p = found.primes()[i].longValueExact();
            assertTrue(start >= 1 << 15 && start < 1 << 16, "start " + start);
            assertTrue(isPrime(p), p + " is not prime");
            if (p >= start) {
                for (long x = start; x < p; x++) assertFalse(isPrime(x), "item " + (100 + i) + ": " + x + " is a smaller prime");
            } else {  // wrapped: no prime from start to 2^16, p is the first 16-bit prime
                for (long x = start; x < 1 << 16; x++) assertFalse(isPrime(x));
                assertEquals(32771, p);
            }
        }
    }

    @Test
    void searchWrapsWithinTheBitSize() {
        assertEquals(BigInteger.valueOf(65521), PrimeFinder.primeAtOrAbove(BigInteger.valueOf(65521), 16));
        assertEquals(BigInteger.valueOf(32771), PrimeFinder.primeAtOrAbove(BigInteger.valueOf(65530), 16));
    }

    @Test
    void theHeadCountsABadPrimeAsFailed() {
        Aggregator<PrimeSearch.Found, PrimeSearch.Primes> head =
            new PrimeSearch().aggregator(new PrimeSearch.Params(16, 3, 1), 1);
        head.add(0, new PrimeSearch.Found(0, new BigInteger[] {
            BigInteger.valueOf(65521), BigInteger.valueOf(65523), BigInteger.valueOf(251)}));
        PrimeSearch.Primes p = head.result();
        assertEquals(1, p.verified(), "65523 = 3 x 21841 is composite, 251 has 8 bits");
        assertEquals(2, p.failed());
    }

    @Test
    void theResultListsThePrimesInItemOrder() throws Exception {
        PrimeSearch.Primes p = grid(64, 30, 3, 7);
        assertEquals(30, p.primes().size());
        for (int item = 0; item < 30; item++) {
            assertEquals(PrimeFinder.primeAtOrAbove(PrimeFinder.start(3, item, 64), 64).toString(), p.primes().get(item));
        }
        assertTrue(new PrimeSearch().summarize(new PrimeSearch.Params(64, 30, 3), p).endsWith("; listed in the result"));
    }

    @Test
    void manyPrimesAreNotListedButWrittenToTheFileOutNames(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("primes.txt");
        PrimeSearch.Primes unlisted = grid(64, 5000, 3, 8);
        assertNull(unlisted.primes(), "5000 primes of 64 bits, 40,000 bytes, are past the listing's 32 KiB");
        assertEquals(4096, grid(64, 4096, 3, 8).primes().size(), "4096 of them, 32 KiB, are listed");
        assertTrue(new PrimeSearch().summarize(new PrimeSearch.Params(64, 5000, 3), unlisted)
            .endsWith("too many to list in the result: --param out=FILE writes them"));

        PrimeSearch.Primes written = (PrimeSearch.Primes) LocalGrid.run("prime-search",
            Map.of("bits", "64", "count", "5000", "seed", "3", "out", out.toString()), 13);
        assertEquals(unlisted.fingerprint(), written.fingerprint());
        assertEquals(out.toAbsolutePath().toString(), written.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals(5000, lines.size());
        long fingerprint = 0;
        for (int item = 0; item < 5000; item++) fingerprint += PrimeFinder.hash(item, new BigInteger(lines.get(item)));
        assertEquals(written.fingerprint(), String.format("%016x", fingerprint), "the file holds the primes the fold checked");
        assertEquals(PrimeFinder.primeAtOrAbove(PrimeFinder.start(3, 4999, 64), 64).toString(), lines.get(4999));
    }

    /** A standby head on another machine has none of the parts the dead head wrote: it makes them again. */
    @Test
    void aResumedFoldWithoutTheDeadHeadsPartsWritesTheWholeFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("primes.txt");
        Map<String, String> params = Map.of("bits", "48", "count", "40", "seed", "9", "out", out.toString());
        BoundJob<?, ?, ?, ?> job = BoundJob.bind("prime-search", params, 4, 1000);
        Object[] results = new Object[4];
        for (int i = 0; i < 4; i++) results[i] = job.runChunk(i, ChunkContext.local(i));
        var head = job.newFold();
        head.add(2, results[2]);
        head.add(0, results[0]);
        byte[] saved = head.saveState();
        try (var parts = Files.list(dir)) {
            for (Path p : parts.toList()) {
                if (Files.isDirectory(p)) try (var inside = Files.list(p)) { for (Path f : inside.toList()) Files.delete(f); }
            }
        }
        var standby = BoundJob.bind("prime-search", params, 4, 1000).resumeFold(saved);
        standby.add(1, results[1]);
        standby.add(3, results[3]);
        PrimeSearch.Primes answer = (PrimeSearch.Primes) standby.answer();
        assertEquals(40, answer.verified());
        List<String> lines = Files.readAllLines(out);
        assertEquals(answer.primes(), lines, "the file and the listing agree, item for item");
        try (var left = Files.list(dir)) {
            assertEquals(List.of(out), left.toList(), "the parts are gone");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bits| 15| bits must be between 16 and 4096, got 15",
        "bits| 4097| bits must be between 16 and 4096, got 4097",
        "bits| -3| bits must be between 16 and 4096, got -3",
        "count| 0| count must be between 1 and 10000000, got 0",
        "count| -1| count must be between 1 and 10000000, got -1",
        "count| 1e12| count must be between 1 and 10000000, got 1000000000000"})
    void rejectsBadParametersNamingThem(String name, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("prime-search", Map.of(name, value), 1, 100_000_000));
        assertEquals(message, e.getMessage());
    }

    @Test
    void rejectsChunkingsThatAreImpossibleOrTooBigForTheWire() {
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("prime-search", Map.of("count", "5"), 6, 100_000_000));
        assertTrue(tooMany.getMessage().contains("chunks (6) exceeds primes to find (count) (5)"), tooMany.getMessage());
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("prime-search", Map.of("bits", "4096", "count", "1000"), 1, 100_000_000));
        assertTrue(tooFew.getMessage().contains("use at least 5 chunks"), tooFew.getMessage());
        assertEquals(256, new PrimeSearch().defaultChunks(new PrimeSearch.Params(4096, 1000, 1)));
        assertEquals(5, new PrimeSearch().defaultChunks(new PrimeSearch.Params(4096, 5, 1)));
    }

    private static boolean isPrime(long x) {
        if (x < 2) return false;
        for (long d = 2; d * d <= x; d++) if (x % d == 0) return false;
        return true;
    }
}
