package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.JobDetail;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobReport.ChunkRow;
import org.pekkogrid.protocol.JobReport.QueuePoint;

class FrameBudgetTest {

    @Test
    void aSmallReportTravelsWhole() {
        JobDetail job = job(100, 50);
        assertSame(job, FrameBudget.fit(job));
        assertFalse(FrameBudget.fit(job).thinned());
    }

    @Test
    void longListsAreThinnedEvenlyAndSaySo() {
        JobDetail fitted = FrameBudget.fit(job(10_000, 4096));
        assertTrue(fitted.thinned());
        List<ChunkRow> rows = fitted.report().chunkRows();
        assertEquals(FrameBudget.MAX_ROWS, rows.size());
        assertEquals(0, rows.get(0).chunk());
        assertEquals(5, rows.get(1).chunk());
        assertEquals(9995, rows.get(rows.size() - 1).chunk());
        assertTrue(fitted.report().queue().size() <= FrameBudget.MAX_POINTS);
        assertTrue(fitted.report().queue().size() > FrameBudget.MAX_POINTS / 2);
        assertEquals(10_000, fitted.report().chunks());
    }

    @Test
    void thinningKeepsAtMostTheBoundSpreadOverTheList() {
        List<Integer> all = IntStream.range(0, 2001).boxed().toList();
        List<Integer> kept = FrameBudget.thin(all, 1000);
        assertEquals(667, kept.size());
        assertEquals(List.of(0, 3, 6), kept.subList(0, 3));
    }

    private static JobDetail job(int rows, int points) {
        List<ChunkRow> chunkRows = new ArrayList<>();
        for (int i = 0; i < rows; i++) chunkRows.add(new ChunkRow(i, 0, "127.0.0.1:1", "slot-0", 0, 1, 2, 3, "ok"));
        List<QueuePoint> queue = new ArrayList<>();
        for (int i = 0; i < points; i++) queue.add(new QueuePoint(i, 0, 0, i));
        JobReport report = new JobReport("job-1", "noop", "2026-01-01T00:00:00Z", rows, rows, rows, 1, 1, 1, 1, 1,
            JobReport.Percentiles.EMPTY, JobReport.Percentiles.EMPTY, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), 0,
            queue, List.of(), chunkRows, 0, null, null, null, List.of(), 0, 0, 0, null, null, null);
        return new JobDetail("job-1", "noop", "COMPLETED", rows, rows, "done", null, report);
    }
}
