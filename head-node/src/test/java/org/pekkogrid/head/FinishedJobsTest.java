package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.JobDetail;
import org.pekkogrid.protocol.JobReport;

class FinishedJobsTest {

    @Test
    void keepsTheLastJobsAndTheReportsOfOnlyTheNewest() {
        FinishedJobs finished = new FinishedJobs(4, 2);
        for (int i = 1; i <= 6; i++) finished.add(job(i));
        assertEquals(List.of("job-3", "job-4", "job-5", "job-6"), finished.rows().stream().map(ClusterStatus.Job::job).toList());
        assertTrue(finished.find("job-2").isEmpty());
        assertNull(finished.find("job-3").orElseThrow().report());
        assertNull(finished.find("job-4").orElseThrow().report());
        assertNotNull(finished.find("job-5").orElseThrow().report());
        assertNotNull(finished.find("job-6").orElseThrow().report());
        assertEquals("done 4", finished.find("job-4").orElseThrow().outcome());
    }

    @Test
    void aJobWithoutAReportTakesNoReportsPlace() {
        FinishedJobs finished = new FinishedJobs(10, 1);
        finished.add(job(1));
        finished.add(new JobDetail("job-2", "noop", "FAILED", 0, 1, "runner stopped", null, null));
        assertNotNull(finished.find("job-1").orElseThrow().report());
    }

    private static JobDetail job(int n) {
        JobReport report = new JobReport("job-" + n, "noop", "2026-01-01T00:00:00Z", 1, 1, 1, 1, 1, 1, 1, 1,
            JobReport.Percentiles.EMPTY, JobReport.Percentiles.EMPTY, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), 0,
            List.of(), List.of(), List.of(), 0, null, null, null, List.of(), 0, 0, 0, null, null, null);
        return new JobDetail("job-" + n, "noop", "COMPLETED", 1, 1, "done " + n, null, report);
    }
}
