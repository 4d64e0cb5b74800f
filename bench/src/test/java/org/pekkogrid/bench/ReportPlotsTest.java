package org.pekkogrid.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReportPlotsTest {

    @Test
    void histogramBinsAreRoundNumbersAtOrAboveTheRawWidth() {
        assertEquals(5, ReportPlots.niceWidth(4.42));
        assertEquals(2.5, ReportPlots.niceWidth(2.1));
        assertEquals(0.02, ReportPlots.niceWidth(0.0137), 1e-12);
        assertEquals(100, ReportPlots.niceWidth(100));
        assertEquals(10, ReportPlots.niceWidth(5.5));
        assertEquals(1, ReportPlots.niceWidth(0));
    }
}
