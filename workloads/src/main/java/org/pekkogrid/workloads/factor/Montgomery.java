package org.pekkogrid.workloads.factor;

/**
 * Arithmetic modulo an odd {@code n < 2^62} in Montgomery form (R = 2^64): a product costs four
 * 64x64-bit multiplies and no division. A value x is held as xR mod n.
 */
final class Montgomery {

    static final int MAX_BITS = 62;

    final long n;
    /** n^-1 mod 2^64. */
    private final long nInverse;
    /** R mod n: the form of 1. */
    final long one;
    /** R^2 mod n: multiplying by it brings a plain value into the form. */
    private final long rSquared;

    Montgomery(long n) {
        if (n < 3 || (n & 1) == 0 || 64 - Long.numberOfLeadingZeros(n) > MAX_BITS) {
            throw new IllegalArgumentException("Montgomery arithmetic needs an odd modulus of 2.." + MAX_BITS
                + " bits, got " + n);
        }
        this.n = n;
        long inverse = n;  // Newton: each step doubles the correct low bits (3 -> 6 -> ... -> 96)
        for (int i = 0; i < 5; i++) inverse *= 2 - n * inverse;
        this.nInverse = inverse;
        this.one = Long.remainderUnsigned(-n, n);  // (2^64 - n) mod n = 2^64 mod n
        long r2 = one;
        for (int i = 0; i < 64; i++) {  // one * 2^64 mod n by doubling; 2 r2 < 2^63 since n < 2^62
            r2 <<= 1;
            if (r2 >= n) r2 -= n;
        }
        this.rSquared = r2;
    }

    /** a b R^-1 mod n, for a and b in [0, n). */
    long multiply(long a, long b) {
        long lo = a * b;
        long hi = Math.multiplyHigh(a, b);  // a, b >= 0: the signed high word is the unsigned one
        long m = lo * nInverse;
        // m n = lo (mod 2^64), so the low words cancel and (ab - mn) / 2^64 = hi - high(mn)
        long mnHi = Math.multiplyHigh(m, n) + ((m >> 63) & n);  // unsigned high word of m n
        long r = hi - mnHi;
        return r < 0 ? r + n : r;
    }

    long toForm(long x) {
        return multiply(x % n, rSquared);
    }

    long add(long a, long b) {
        long s = a + b;  // < 2^63: no overflow
        return s >= n ? s - n : s;
    }

    /** base^exponent in the form, for base in the form and exponent >= 0. */
    long pow(long base, long exponent) {
        long result = one;
        while (exponent > 0) {
            if ((exponent & 1) != 0) result = multiply(result, base);
            base = multiply(base, base);
            exponent >>>= 1;
        }
        return result;
    }
}
