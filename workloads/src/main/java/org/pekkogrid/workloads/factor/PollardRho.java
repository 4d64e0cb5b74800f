package org.pekkogrid.workloads.factor;

import java.math.BigInteger;

/**
 * Pollard's rho in Brent's variant: the walk y -> y^2 + c, cycle detection by powers of two, and
 * the differences multiplied together so that one gcd serves {@link #BATCH} steps. Moduli up to
 * 62 bits run in {@link Montgomery} form on longs, larger ones on BigInteger.
 */
final class PollardRho {

    /** Steps per gcd: a gcd costs about as much as 30 modular products. */
    static final int BATCH = 128;
    /** Each c is a fresh walk; failing this many in a row means n is not what it was said to be. */
    private static final int MAX_WALKS = 64;

    /** A non-trivial factor and the walk steps (evaluations of y^2 + c) it took. */
    record Split(long factor, long steps) {}

    private PollardRho() {}

    /** A factor of an odd composite n below 2^62 that is not a prime power of a tiny prime. */
    static Split factor(long n) {
        if ((n & 1) == 0) return new Split(2, 0);
        Montgomery m = new Montgomery(n);
        long steps = 0;
        for (long c = 1; c <= MAX_WALKS; c++) {
            long cForm = m.toForm(c);
            long y = m.toForm(2);
            long x = y;
            long ys = y;
            long q = m.one;
            long g = 1;
            for (long r = 1; g == 1; r <<= 1) {
                x = y;
                for (long i = 0; i < r; i++) y = m.add(m.multiply(y, y), cForm);
                steps += r;
                for (long k = 0; k < r && g == 1; k += BATCH) {
                    ys = y;
                    long batch = Math.min(BATCH, r - k);
                    for (long i = 0; i < batch; i++) {
                        y = m.add(m.multiply(y, y), cForm);
                        q = m.multiply(q, Math.abs(x - y));
                    }
                    steps += batch;
                    g = gcd(q, n);
                }
            }
            if (g == n) {  // the batch overshot (or q hit 0): walk it again one gcd per step
                do {
                    ys = m.add(m.multiply(ys, ys), cForm);
                    steps++;
                    g = gcd(Math.abs(x - ys), n);
                } while (g == 1);
            }
            if (g != n) return new Split(g, steps);
        }
        throw new IllegalStateException("Pollard rho found no factor of " + n + " in " + MAX_WALKS + " walks: is it prime?");
    }

    /** The same walk on BigInteger, for n above 62 bits; the factor found must fit a long. */
    static Split factor(BigInteger n) {
        if (!n.testBit(0)) return new Split(2, 0);
        long steps = 0;
        BigInteger two = BigInteger.TWO;
        for (long c = 1; c <= MAX_WALKS; c++) {
            BigInteger bc = BigInteger.valueOf(c);
            BigInteger y = two;
            BigInteger x = y;
            BigInteger ys = y;
            BigInteger q = BigInteger.ONE;
            BigInteger g = BigInteger.ONE;
            for (long r = 1; g.equals(BigInteger.ONE); r <<= 1) {
                x = y;
                for (long i = 0; i < r; i++) y = y.multiply(y).add(bc).mod(n);
                steps += r;
                for (long k = 0; k < r && g.equals(BigInteger.ONE); k += BATCH) {
                    ys = y;
                    long batch = Math.min(BATCH, r - k);
                    for (long i = 0; i < batch; i++) {
                        y = y.multiply(y).add(bc).mod(n);
                        q = q.multiply(x.subtract(y).abs()).mod(n);
                    }
                    steps += batch;
                    g = q.gcd(n);
                }
            }
            if (g.equals(n)) {
                do {
                    ys = ys.multiply(ys).add(bc).mod(n);
                    steps++;
                    g = x.subtract(ys).abs().gcd(n);
                } while (g.equals(BigInteger.ONE));
            }
            if (!g.equals(n)) return new Split(g.longValueExact(), steps);
        }
        throw new IllegalStateException("Pollard rho found no factor of " + n + " in " + MAX_WALKS + " walks: is it prime?");
    }

    /** Binary gcd of non-negative longs. */
    static long gcd(long a, long b) {
        if (a == 0) return b;
        if (b == 0) return a;
        int shift = Long.numberOfTrailingZeros(a | b);
        a >>>= Long.numberOfTrailingZeros(a);
        while (b != 0) {
            b >>>= Long.numberOfTrailingZeros(b);
            if (a > b) {
                long t = a;
                a = b;
                b = t;
            }
            b -= a;
        }
        return a << shift;
    }
}
