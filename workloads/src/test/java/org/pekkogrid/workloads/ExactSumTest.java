package org.pekkogrid.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactSumTest {

    private static ExactSum sum(List<Double> terms) {
        ExactSum s = ExactSum.ZERO;
        for (double t : terms) s = s.plus(t);
        return s;
    }

    /** What the sum is: the exact sum of the terms, rounded once to the nearest double. */
    private static double exactly(List<Double> terms) {
        BigDecimal s = BigDecimal.ZERO;
        for (double t : terms) s = s.add(new BigDecimal(t));
        return s.doubleValue();
    }

    @Test
    void anyOrderOfTheTermsGivesTheExactSumRoundedOnce() {
        Random random = new Random(5);
        for (int round = 0; round < 200; round++) {
            List<Double> terms = new ArrayList<>();
            int count = 1 + random.nextInt(60);
            for (int i = 0; i < count; i++) {
                double magnitude = Math.scalb(1.0, random.nextInt(200) - 100);
                terms.add((random.nextBoolean() ? 1 : -1) * random.nextDouble() * magnitude);
            }
            double expected = exactly(terms);
            for (int shuffle = 0; shuffle < 5; shuffle++) {
                Collections.shuffle(terms, random);
                assertEquals(expected, sum(terms).value(), 0.0, terms.toString());
            }
        }
    }

    @Test
    void whatARunningSumLosesIsKept() {
        assertEquals(1.0, sum(List.of(1e300, 1.0, -1e300)).value());
        assertEquals(0x1p-1074, sum(List.of(1.0, 0x1p-1074, -1.0)).value(), "the smallest subnormal survives");
        assertEquals(Double.MIN_NORMAL, sum(List.of(Double.MIN_NORMAL / 2, Double.MIN_NORMAL / 2)).value());
        assertEquals(-0.1, sum(List.of(-0.1)).value());
        assertEquals(0.0, ExactSum.ZERO.value());
        // ties round to even: 1 + 2^-53 is halfway between 1 and its successor
        assertEquals(1.0, sum(List.of(1.0, 0x1p-53)).value());
        assertEquals(1.0 + 0x1p-51, sum(List.of(1.0 + 0x1p-52, 0x1p-53)).value());
        assertEquals(1.0 + 0x1p-52, sum(List.of(1.0, 0x1p-53, 0x1p-80)).value(), "just above the tie rounds up");
    }

    @Test
    void overflowAndNonFiniteTermsGiveWhatDoublesWould() {
        assertEquals(Double.POSITIVE_INFINITY, sum(List.of(Double.MAX_VALUE, Double.MAX_VALUE)).value());
        assertEquals(Double.MAX_VALUE, sum(List.of(Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE)).value());
        assertEquals(Double.NEGATIVE_INFINITY, sum(List.of(1.0, Double.NEGATIVE_INFINITY)).value());
        assertEquals(Double.NaN, sum(List.of(Double.POSITIVE_INFINITY, 2.0, Double.NEGATIVE_INFINITY)).value());
        assertEquals(Double.NaN, sum(List.of(Double.NaN, 1.0)).value());
    }

    @Test
    void unitsAreWholeNumbersOfTheSmallestSubnormal() {
        assertEquals(BigInteger.ONE.shiftLeft(1074), ExactSum.ZERO.plus(1.0).units());
        assertEquals(BigInteger.valueOf(-3), ExactSum.ZERO.plus(-3 * 0x1p-1074).units());
    }
}
