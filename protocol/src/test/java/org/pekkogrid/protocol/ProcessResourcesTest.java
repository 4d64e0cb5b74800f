package org.pekkogrid.protocol;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessResourcesTest {

    @Test
    void readingsCloseTogetherAreOneReading() {
        ProcessResources.Reading first = ProcessResources.read();
        assertSame(first, ProcessResources.read(), "a second caller within 200 ms shares the reading");
    }

    @Test
    void aReadingAfterWorkShowsThisProcesssCpuAndMemory() throws InterruptedException {
        ProcessResources.read();
        long until = System.nanoTime() + 2 * ProcessResources.SHARED_FOR_NANOS;
        double x = 0;
        while (System.nanoTime() < until) x += Math.sqrt(x + 1);  // busy, so the process used CPU
        ProcessResources.Reading r = ProcessResources.read();
        assertTrue(x > 0);
        assertTrue(r.processCpu() > 0 && r.processCpu() <= 1, "process CPU " + r.processCpu());
        assertTrue(r.heapUsedBytes() > 0 && r.heapUsedBytes() <= r.heapMaxBytes(), r.toString());
        assertTrue(r.rssBytes() > 0, "resident bytes " + r.rssBytes());
    }
}
