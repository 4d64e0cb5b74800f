package org.pekkogrid.workloads.factor;

import java.math.BigInteger;

/**
 * The job's inputs: item k is p q, where p (ceil(bits/2) bits) and q (floor(bits/2) bits) are
 * the first primes at or above seeded random starts. Both have their top two bits set, so
 * p q >= 2.25 * 2^(bits-2) has exactly {@code bits} bits. A pure function of (seed, k), so
 * workers and head derive the same inputs.
 */
final class Semiprimes {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final int[] TRIAL_PRIMES = {3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53};
    /** Miller-Rabin with these bases is exact below 3.3 * 10^24 (Sorenson and Webster, 2015). */
    private static final long[] WITNESSES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

    /** The two primes of one item, {@code p} the one with more bits (or equal). */
    record Pair(long p, long q) {}

    private Semiprimes() {}

    static Pair pair(long seed, long item, int bits) {
        long state = mix64(mix64(seed ^ 0x5eed_fac7L) + item * GOLDEN_GAMMA);
        long p = prime(mix64(state + GOLDEN_GAMMA), (bits + 1) / 2);
        long q = prime(mix64(state + 2 * GOLDEN_GAMMA), bits / 2);
        return new Pair(p, q);
    }

    /** The first prime at or above a random start in [1.5 * 2^(bits-1), 2^bits), wrapping inside it. */
    static long prime(long random, int bits) {
        long low = 3L << (bits - 2);
        long high = 1L << bits;
        long x = (low + Long.remainderUnsigned(random, high - low)) | 1;
        for (long tried = 0; tried < high - low; tried += 2, x += 2) {
            if (x >= high) x = low | 1;
            if (isPrime(x)) return x;
        }
        throw new IllegalStateException("no prime of " + bits + " bits with the top two bits set");
    }

    /** Exact for x below 2^62: trial division, then Miller-Rabin with the deterministic witnesses. */
    static boolean isPrime(long x) {
        if (x < 2) return false;
        if ((x & 1) == 0) return x == 2;
        for (int p : TRIAL_PRIMES) {
            if (x % p == 0) return x == p;
        }
        if (x < 59L * 59) return true;
        Montgomery m = new Montgomery(x);
        long d = x - 1;
        int s = Long.numberOfTrailingZeros(d);
        d >>>= s;
        long minusOne = x - m.one;
        for (long a : WITNESSES) {
            long y = m.pow(m.toForm(a), d);
            if (y == m.one || y == minusOne) continue;
            boolean composite = true;
            for (int i = 1; i < s && composite; i++) {
                y = m.multiply(y, y);
                if (y == minusOne) composite = false;
            }
            if (composite) return false;
        }
        return true;
    }

    static BigInteger product(Pair pair) {
        return BigInteger.valueOf(pair.p()).multiply(BigInteger.valueOf(pair.q()));
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
