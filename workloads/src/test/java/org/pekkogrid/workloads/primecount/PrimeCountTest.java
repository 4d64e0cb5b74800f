package org.pekkogrid.workloads.primecount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.LocalGrid;

class PrimeCountTest {

    private static PrimeCount.Count grid(String n, long chunks) throws Exception {
        return (PrimeCount.Count) LocalGrid.run("prime-count", Map.of("n", n), chunks);
    }

    @Test
    void countsTheKnownPrimesBelowAMillionForAnyChunking() throws Exception {
        for (long chunks : new long[] {1, 7, 64, 1000}) {
            PrimeCount.Count c = grid("1000000", chunks);
            assertEquals(78_498, c.primes(), chunks + " chunks");
            assertTrue(c.matchesKnown());
        }
    }

    @Test
    void countsTheKnownPrimesBelowABillion() throws Exception {
        PrimeCount.Count c = grid("1e9", 64);
        assertEquals(50_847_534, c.primes());
        assertEquals(50_847_534L, c.known());
    }

    /** The slowest check of the class: about 3 s of sieving on two cores. */
    @Test
    void countsTheKnownPrimesBelowTenBillion() throws Exception {
        assertEquals(455_052_511, grid("10000000000", 16).primes());
    }

    @Test
    void sequentialBaselineGivesTheSameCount() {
        assertEquals(5_761_455, new PrimeCount().runSequential(new PrimeCount.Params(100_000_000)).primes());
    }

    /** Against a plain sieve, at sizes and chunk edges where off-by-one errors live. */
    @ParameterizedTest
    @CsvSource({"2,1", "3,1", "3,3", "4,2", "18,5", "19,7", "20,20", "362,9", "1000,64", "123457,64", "9999991,7"})
    void agreesWithAPlainSieveAtEdges(long n, long chunks) throws Exception {
        long expected = SegmentedSieve.smallPrimes((int) (n - 1)).length;
        assertEquals(expected, grid(Long.toString(n), chunks).primes(), "pi below " + n + " in " + chunks + " chunks");
    }

    @Test
    void countsInsideRangesThatCrossManySegments() {
        long lo = 999_999_000_000L;
        long hi = lo + 3L * 2 * SegmentedSieve.SEGMENT_BITS + 12_345;
        SegmentedSieve sieve = new SegmentedSieve(PrimeCount.MAX_N);
        long split = sieve.count(lo, lo + 5_000_001) + sieve.count(lo + 5_000_001, hi);
        assertEquals(sieve.count(lo, hi), split);
        long byTrialDivision = 0;
        for (long x = lo; x < lo + 20_000; x++) if (java.math.BigInteger.valueOf(x).isProbablePrime(50)) byTrialDivision++;
        assertEquals(byTrialDivision, sieve.count(lo, lo + 20_000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "-5", "1000000000001", "1e15"})
    void rejectsNOutOfRangeNamingIt(String n) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("prime-count", Map.of("n", n), 1, 100_000_000));
        assertTrue(e.getMessage().startsWith("n must be"), e.getMessage());
    }

    @Test
    void rejectsMoreChunksThanNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("prime-count", Map.of("n", "10"), 11, 100_000_000));
        assertTrue(e.getMessage().contains("chunks (11)"), e.getMessage());
    }

    @Test
    void defaultChunkingWorksFromTinyToHugeN() {
        PrimeCount w = new PrimeCount();
        assertEquals(1, w.defaultChunks(new PrimeCount.Params(2)));
        assertEquals(256, w.defaultChunks(new PrimeCount.Params(PrimeCount.MAX_N)));
    }
}
