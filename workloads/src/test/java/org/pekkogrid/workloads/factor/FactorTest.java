package org.pekkogrid.workloads.factor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.LocalGrid;

class FactorTest {

    private static Factor.Factored grid(int bits, long count, long chunks) throws Exception {
        return (Factor.Factored) LocalGrid.run("factor",
            Map.of("bits", Integer.toString(bits), "count", Long.toString(count), "seed", "5"), chunks);
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 17, 31, 48, 62})
    void everyProductIsVerifiedAndTheAnswerIsTheSameForAnyChunking(int bits) throws Exception {
        Factor.Factored one = grid(bits, 300, 1);
        assertEquals(300, one.verified());
        assertEquals(0, one.failed());
        assertTrue(one.steps() > 0);
        assertEquals(one, grid(bits, 300, 7));
        assertEquals(one, grid(bits, 300, 64));
        assertEquals(one, new Factor().runSequential(new Factor.Params(bits, 300, 5)));
    }

    /** Above 62 bits the walk runs on BigInteger; 63 and 66 bits keep it to milliseconds. */
    @ParameterizedTest
    @ValueSource(ints = {63, 66})
    void factorsAbove62BitsOnBigInteger(int bits) throws Exception {
        Factor.Factored f = grid(bits, 6, 3);
        assertEquals(new Factor.Factored(bits, 6, 6, 0, f.steps(), f.factors(), null), f);
        assertEquals(6, f.factors().size());
    }

    @Test
    void returnsTheTwoPrimesTheInputWasMadeOf() {
        Factor.Factors f = new Factor().run(new Factor.Items(58, 9, 40, 60), ChunkContext.local(0));
        for (int i = 0; i < 20; i++) {
            Semiprimes.Pair pair = Semiprimes.pair(9, 40 + i, 58);
            assertEquals(Math.min(pair.p(), pair.q()), f.smaller()[i]);
            assertEquals(Math.max(pair.p(), pair.q()), f.larger()[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 17, 40, 61, 62, 63, 64, 99, 100})
    void inputsHaveExactlyTheRequestedBitsAndPrimeFactors(int bits) {
        for (long item = 0; item < 50; item++) {
            Semiprimes.Pair pair = Semiprimes.pair(1, item, bits);
            assertEquals(bits, Semiprimes.product(pair).bitLength(), "item " + item);
            assertTrue(BigInteger.valueOf(pair.p()).isProbablePrime(60));
            assertTrue(BigInteger.valueOf(pair.q()).isProbablePrime(60));
        }
    }

    @Test
    void theHeadRejectsFactorsThatDoNotMultiplyToTheInput() {
        Factor w = new Factor();
        Aggregator<Factor.Factors, Factor.Factored> head = w.aggregator(new Factor.Params(40, 3, 2), 1);
        Semiprimes.Pair a = Semiprimes.pair(2, 0, 40);
        Semiprimes.Pair b = Semiprimes.pair(2, 1, 40);
        head.add(0, new Factor.Factors(0,
            new long[] {a.q(), 1, b.q() + 2},
            new long[] {a.p(), b.p() * b.q(), b.p()}, 10));
        Semiprimes.Pair sorted = new Semiprimes.Pair(Math.min(a.p(), a.q()), Math.max(a.p(), a.q()));
        assertEquals(new Factor.Factored(40, 3, 1, 2, 10,
            List.of(new Factor.Factorisation(Semiprimes.product(a).toString(), sorted.p(), sorted.q())), null),
            head.result(), "trivial and wrong factors fail, and are not listed");
    }

    @Test
    void montgomeryProductsMatchBigInteger() {
        SplittableRandom random = new SplittableRandom(3);
        for (int t = 0; t < 2000; t++) {
            long n = (random.nextLong() >>> (2 + random.nextInt(58))) | 1;
            if (n < 3) continue;
            Montgomery m = new Montgomery(n);
            long a = Math.floorMod(random.nextLong(), n);
            long b = Math.floorMod(random.nextLong(), n);
            long product = m.multiply(m.toForm(a), m.toForm(b));
            long plain = m.multiply(product, 1);  // leaves the form
            BigInteger expected = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(BigInteger.valueOf(n));
            assertEquals(expected.longValueExact(), plain, a + " * " + b + " mod " + n);
        }
    }

    @Test
    void primalityAgreesWithBigInteger() {
        SplittableRandom random = new SplittableRandom(4);
        for (long x = 0; x < 5000; x++) assertEquals(BigInteger.valueOf(x).isProbablePrime(60), Semiprimes.isPrime(x), "x=" + x);
        for (int t = 0; t < 5000; t++) {
            long x = random.nextLong() >>> (2 + random.nextInt(40));
            assertEquals(BigInteger.valueOf(x).isProbablePrime(60), Semiprimes.isPrime(x), "x=" + x);
        }
        assertFalse(Semiprimes.isPrime(3_825_123_056_546_413_051L), "strong pseudoprime to bases 2..23, 62 bits");
        assertFalse(Semiprimes.isPrime(3_215_031_751L), "strong pseudoprime to bases 2, 3, 5, 7");
    }

    @Test
    void binaryGcdIsGcd() {
        assertEquals(6, PollardRho.gcd(48, 18));
        assertEquals(7, PollardRho.gcd(0, 7));
        assertEquals(1, PollardRho.gcd(1L << 40, 3));
        assertEquals(BigInteger.valueOf(1234567890123L).gcd(BigInteger.valueOf(9876543210L)).longValue(),
            PollardRho.gcd(1234567890123L, 9876543210L));
    }

    @Test
    void theResultListsEachNumberWithItsFactorsInItemOrder() throws Exception {
        Factor.Factored f = grid(40, 50, 7);
        assertEquals(50, f.factors().size());
        for (int item = 0; item < 50; item++) {
            Semiprimes.Pair pair = Semiprimes.pair(5, item, 40);
            Factor.Factorisation listed = f.factors().get(item);
            assertEquals(Semiprimes.product(pair).toString(), listed.n(), "item " + item);
            assertEquals(Math.min(pair.p(), pair.q()), listed.p());
            assertEquals(Math.max(pair.p(), pair.q()), listed.q());
        }
        assertTrue(new Factor().summarize(new Factor.Params(40, 50, 5), f).endsWith("; listed in the result"));
    }

    @Test
    void manyNumbersAreNotListedButWrittenToTheFileOutNames(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sub/factors.txt");
        Factor.Factored unlisted = grid(24, 1500, 4);
        assertNull(unlisted.factors());
        assertTrue(new Factor().summarize(new Factor.Params(24, 1500, 5), unlisted).endsWith("--param out=FILE writes them"));

        Factor.Factored written = (Factor.Factored) LocalGrid.run("factor",
            Map.of("bits", "24", "count", "1500", "seed", "5", "out", out.toString()), 9);
        assertEquals(out.toAbsolutePath().toString(), written.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals(1500, lines.size());
        for (int item = 0; item < 1500; item++) {
            Semiprimes.Pair pair = Semiprimes.pair(5, item, 24);
            assertEquals(Semiprimes.product(pair) + " " + Math.min(pair.p(), pair.q()) + " " + Math.max(pair.p(), pair.q()),
                lines.get(item), "line " + item);
        }
        try (var left = Files.list(out.getParent())) {
            assertEquals(List.of(out), left.toList(), "only the file is left: no parts, no temporary file");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bits| 15| bits must be between 16 and 100",
        "bits| 101| bits must be between 16 and 100",
        "bits| 0| bits must be between 16 and 100",
        "count| 0| count must be between 1 and 100000000, got 0",
        "count| -7| count must be between 1 and 100000000, got -7",
        "count| 1e9| count must be between 1 and 100000000, got 1000000000"})
    void rejectsBadParametersNamingThem(String name, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("factor", Map.of(name, value), 1, 100_000_000));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void rejectsChunkingsThatAreImpossibleOrTooBigForTheWire() {
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("factor", Map.of("count", "10"), 11, 100_000_000));
        assertTrue(tooMany.getMessage().contains("chunks (11) exceeds semiprimes (count) (10)"), tooMany.getMessage());
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("factor", Map.of("count", "10000"), 2, 100_000_000));
        assertTrue(tooFew.getMessage().contains("use at least 3 chunks"), tooFew.getMessage());
    }
}
