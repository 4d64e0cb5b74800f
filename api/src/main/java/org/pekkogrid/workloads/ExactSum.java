package org.pekkogrid.workloads;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A sum of doubles that rounds only when it is read. Every finite double is a whole number of
 * 2^-1074 (the smallest subnormal), so the sum is kept as that whole number: the order the
 * terms come in cannot change a bit of {@link #value}, and a fold resumed from a saved state
 * ends on the bits of one that never stopped. Folds of floating-point results use it in place
 * of a running (or Kahan) sum, whose last bits depend on the order results arrive in. A record,
 * so that fold states carry it as it is; it stays about 140 bytes for terms below 2^10.
 *
 * @param units     the sum of the finite terms, in units of 2^-1074
 * @param nonFinite the sum of the infinite and NaN terms, 0 when there were none (among those
 *                  the order does not matter either: any NaN, or both infinities, give NaN)
 */
public record ExactSum(BigInteger units, double nonFinite) {

    public static final ExactSum ZERO = new ExactSum(BigInteger.ZERO, 0);

    private static final int UNIT_EXPONENT = -1074;
    private static final long SIGNIFICAND_BITS = 0x000f_ffff_ffff_ffffL;

    public ExactSum {
        Objects.requireNonNull(units, "units");
    }

    public ExactSum plus(double term) {
        if (!Double.isFinite(term)) return new ExactSum(units, nonFinite + term);
        if (term == 0) return this;
        return new ExactSum(units.add(unitsOf(term)), nonFinite);
    }

    /** The sum, rounded once to the nearest double (ties to even). */
    public double value() {
        if (nonFinite != 0) return nonFinite;  // true for NaN as well
        BigInteger magnitude = units.abs();
        int bits = magnitude.bitLength();
        double rounded;
        if (bits <= 53) {
            rounded = Math.scalb((double) magnitude.longValue(), UNIT_EXPONENT);  // exact, subnormal or not
        } else {
            // From 54 bits the value is normal: keep 63 bits, and a sticky bit for any dropped below
            // them, so that the long-to-double conversion rounds as the whole number would.
            int dropped = Math.max(0, bits - 63);
            long top = magnitude.shiftRight(dropped).longValue();
            if (dropped > 0 && magnitude.getLowestSetBit() < dropped) top |= 1;
            rounded = Math.scalb((double) top, dropped + UNIT_EXPONENT);
        }
        return units.signum() < 0 ? -rounded : rounded;
    }

    private static BigInteger unitsOf(double finite) {
        long bits = Double.doubleToRawLongBits(finite);
        int biasedExponent = (int) (bits >>> 52) & 0x7ff;
        long significand = bits & SIGNIFICAND_BITS;
        // A normal double is (2^52 + significand) 2^(biasedExponent - 1075); a subnormal, significand 2^-1074.
        BigInteger units = biasedExponent == 0 ? BigInteger.valueOf(significand)
            : BigInteger.valueOf(significand | 1L << 52).shiftLeft(biasedExponent - 1);
        return finite < 0 ? units.negate() : units;
    }
}
