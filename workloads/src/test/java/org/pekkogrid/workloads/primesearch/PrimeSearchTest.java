package org.pekkogrid.workloads.primesearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
        assertEquals(new PrimeSearch.Primes(256, 64, 64, 0, one.fingerprint()), one);
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
