package org.pekkogrid.workloads.primecount;

import java.util.Arrays;

/**
 * Counts primes in a range by the segmented sieve of Eratosthenes over odd numbers only: bit
 * {@code b} of a segment stands for {@code segmentStart + 2b}. Multiples of 3..17 are not sieved
 * but copied in from a precomputed pattern (they would be ~40 % of all marks); the other base primes
 * mark from {@code p*p} on. An instance holds the base primes of one job and is shared,
 * read-only, by the threads of a node.
 */
public final class SegmentedSieve {

    /** Bits per segment: 2^21 bits = 256 KiB, which with the primes' offsets fits a 1 MiB L2. */
    static final int SEGMENT_BITS = 1 << 21;

    /** The primes whose multiples the pattern already holds. */
    private static final int[] PRESIEVED = {3, 5, 7, 11, 13, 17};
    private static final int PATTERN_PERIOD_BITS = 3 * 5 * 7 * 11 * 13 * 17;
    /** One period of the pattern plus room to read a whole segment from any phase. */
    private static final long[] PATTERN = pattern();

    /** Odd base primes above 17 and at most sqrt(limit), in increasing order. */
    private final int[] sievingPrimes;

    /** Base primes for counting anywhere below {@code limit}. */
    SegmentedSieve(long limit) {
        int root = (int) isqrt(Math.max(limit - 1, 0));
        int[] small = smallPrimes(root);
        this.sievingPrimes = Arrays.stream(small).filter(p -> p > 17).toArray();
    }

    /** Primes p with {@code start <= p < end}; the range must lie below this sieve's limit. */
    long count(long start, long end) {
        if (end <= start) return 0;
        long primes = 0;
        if (start <= 2 && 2 < end) primes++;
        for (int p : PRESIEVED) {
            if (start <= p && p < end) primes++;  // the pattern marks them: add them back
        }
        long first = Math.max(start, 3) | 1;  // the first odd number >= max(start, 3)
        if (first >= end) return primes;
        long[] bits = new long[SEGMENT_BITS / 64];
        long[] next = firstMultiples(first, end);
        int sieving = next.length;
        for (long segment = first; segment < end; segment += 2L * SEGMENT_BITS) {
            int limitBits = (int) Math.min(SEGMENT_BITS, (end - segment + 1) / 2);
            copyPattern(bits, segment, limitBits);
            for (int i = 0; i < sieving; i++) {
                long j = next[i];
                if (j < limitBits) {
                    int p = sievingPrimes[i];
                    int k = (int) j;
                    for (; k < limitBits; k += p) bits[k >>> 6] |= 1L << k;
                    j = k;
                }
                next[i] = j - SEGMENT_BITS;
            }
            primes += unmarked(bits, limitBits);
        }
        return primes;
    }

    /**
     * For each sieving prime, the bit index of its first odd multiple at or above
     * {@code max(p*p, first)}, counted from {@code first}; primes with {@code p*p >= end} are left out.
     */
    private long[] firstMultiples(long first, long end) {
        int used = 0;
        while (used < sievingPrimes.length && (long) sievingPrimes[used] * sievingPrimes[used] < end) used++;
        long[] next = new long[used];
        for (int i = 0; i < used; i++) {
            long p = sievingPrimes[i];
            long m = Math.max(p * p, (first + p - 1) / p * p);
            if ((m & 1) == 0) m += p;
            next[i] = (m - first) / 2;
        }
        return next;
    }

    private static void copyPattern(long[] bits, long segment, int limitBits) {
        int phase = (int) (((segment - 1) / 2) % PATTERN_PERIOD_BITS);  // bit b' stands for 1 + 2b'
        int word = phase >>> 6;
        int shift = phase & 63;
        int words = (limitBits + 63) >>> 6;
        if (shift == 0) {
            System.arraycopy(PATTERN, word, bits, 0, words);
        } else {
            for (int w = 0; w < words; w++) {
                bits[w] = (PATTERN[word + w] >>> shift) | (PATTERN[word + w + 1] << (64 - shift));
            }
        }
    }

    private static long unmarked(long[] bits, int limitBits) {
        int full = limitBits >>> 6;
        long count = 0;
        for (int w = 0; w < full; w++) count += Long.bitCount(~bits[w]);
        int rest = limitBits & 63;
        if (rest != 0) count += Long.bitCount(~bits[full] & ((1L << rest) - 1));
        return count;
    }

    private static long[] pattern() {
        int bitsNeeded = PATTERN_PERIOD_BITS + SEGMENT_BITS + 128;
        long[] words = new long[(bitsNeeded + 63) / 64];
        for (int p : PRESIEVED) {
            // bit b stands for 1 + 2b; odd multiples of p sit at b = (p - 1) / 2 + k p
            for (long b = (p - 1) / 2; b < (long) words.length * 64; b += p) words[(int) (b >>> 6)] |= 1L << b;
        }
        return words;
    }

    /** All primes up to {@code max} by the plain sieve (max is at most 10^6 here). */
    static int[] smallPrimes(int max) {
        if (max < 2) return new int[0];
        boolean[] composite = new boolean[max + 1];
        int count = 0;
        for (int i = 2; i <= max; i++) {
            if (composite[i]) continue;
            count++;
            for (long j = (long) i * i; j <= max; j += i) composite[(int) j] = true;
        }
        int[] primes = new int[count];
        for (int i = 2, k = 0; i <= max; i++) if (!composite[i]) primes[k++] = i;
        return primes;
    }

    static long isqrt(long n) {
        long r = (long) Math.sqrt((double) n);
        while (r * r > n) r--;
        while ((r + 1) * (r + 1) <= n) r++;
        return r;
    }
}
