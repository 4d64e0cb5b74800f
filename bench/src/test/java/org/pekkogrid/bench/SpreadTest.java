package org.pekkogrid.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        Spread s = Spread.of(30.0, 10.0, 20.0);

        assertEquals(new Spread(20, 10, 30, 15, 25, 3), s);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        Spread s = Spread.of(4.0, 1.0, 3.0, 2.0);

        assertEquals(2.5, s.median());
        assertEquals(1.75, s.p25());
        assertEquals(3.25, s.p75());
        assertEquals(1, s.min());
        assertEquals(4, s.max());
    }

    @Test
    void oneValueIsItsOwnSpread() {
        assertEquals(new Spread(7, 7, 7, 7, 7, 1), Spread.of(7.0));
        assertEquals("7.00", Figures.spread(Spread.of(7.0), Figures::millis));
        assertEquals("20.0 (10.0–30.0)", Figures.spread(Spread.of(10.0, 20.0, 30.0), Figures::millis));
    }

    @Test
    void noValuesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Spread.of(List.of()));
    }
}
