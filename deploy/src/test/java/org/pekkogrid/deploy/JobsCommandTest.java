package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.ClusterStatus;

/** The cells of {@code grid jobs}' table. */
class JobsCommandTest {

    @Test
    void durationsReadAsAPersonWouldSayThem() {
        assertEquals(List.of("850 ms", "4.2 s", "3 m 05 s", "2 h 03 m", "3 d 04 h"), List.of(
            JobsCommand.duration(850), JobsCommand.duration(4_200), JobsCommand.duration(185_000),
            JobsCommand.duration(7_380_000), JobsCommand.duration(273_600_000)));
    }

    @Test
    void aRunningJobShowsItsRateAFinishedOneItsRunTimeAQueuedOneNeither() {
        ClusterStatus.Job running = new ClusterStatus.Job("job-1", "noop", "RUNNING", 105, 256, 0, 1, 2_000, "h:1");
        ClusterStatus.Job done = new ClusterStatus.Job("job-2", "noop", "CANCELLED", 72, 300, 0, 1, 7_600, "h:1");
        ClusterStatus.Job queued = new ClusterStatus.Job("job-3", "noop", "QUEUED", 0, 10, 2, 1, 0, "h:1");

        assertEquals(List.of("41% 105/256", "53 chunks/s"), List.of(JobsCommand.progress(running),
            JobsCommand.rateOrRun(running)));
        assertEquals(List.of("24% 72/300", "7.6 s"), List.of(JobsCommand.progress(done), JobsCommand.rateOrRun(done)));
        assertEquals(List.of("0% 0/10", "-"), List.of(JobsCommand.progress(queued), JobsCommand.rateOrRun(queued)));
    }
}
