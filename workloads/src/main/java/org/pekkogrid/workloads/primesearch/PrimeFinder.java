package org.pekkogrid.workloads.primesearch;

import java.math.BigInteger;

/** The kernel of prime-search: seeded starting points and the search upward from them. */
final class PrimeFinder {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private PrimeFinder() {}

    /**
     * Item {@code item}'s starting point: a {@code bits}-bit number (top bit set) whose other bits
     * come from a SplitMix64 stream that is a pure function of (seed, item).
     */
    static BigInteger start(long seed, long item, int bits) {
        long state = mix64(mix64(seed) + item * GOLDEN_GAMMA);
        byte[] bytes = new byte[(bits + 7) / 8];
        for (int i = 0; i < bytes.length; i += 8) {
            state += GOLDEN_GAMMA;
            long word = mix64(state);
            for (int b = 0; b < 8 && i + b < bytes.length; b++) bytes[i + b] = (byte) (word >>> (8 * b));
        }
        int spareBits = bytes.length * 8 - bits;
        bytes[0] &= (byte) (0xff >>> spareBits);  // big-endian: the first byte holds the top bits
        return new BigInteger(1, bytes).setBit(bits - 1);
    }

    /**
     * The first probable prime at or above {@code start}; past 2^bits - 1 the search goes on from
     * 2^(bits-1), so the prime always has {@code bits} bits. Composite with probability below 2^-100.
     */
    static BigInteger primeAtOrAbove(BigInteger start, int bits) {
        BigInteger p = start.subtract(BigInteger.ONE).nextProbablePrime();
        if (p.bitLength() > bits) p = BigInteger.ONE.shiftLeft(bits - 1).nextProbablePrime();
        return p;
    }

    /** A hash of one (item, prime) pair; the job's fingerprint is the sum of them. */
    static long hash(long item, BigInteger prime) {
        long h = mix64(item + GOLDEN_GAMMA);
        byte[] bytes = prime.toByteArray();
        for (int i = 0; i < bytes.length; i += 8) {
            long word = 0;
            for (int b = 0; b < 8 && i + b < bytes.length; b++) word = word << 8 | (bytes[i + b] & 0xff);
            h = mix64(h ^ word) + GOLDEN_GAMMA;
        }
        return h;
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
