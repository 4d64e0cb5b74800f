package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pekkogrid.head.InFlightBatchesTest.A;
import static org.pekkogrid.head.InFlightBatchesTest.fresh;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.head.InFlightBatches.Batch;
import org.pekkogrid.head.ReportStream.Outcome;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;

/** What of a job's report reaches its listeners, and in what pieces. */
class ReportStreamTest {

    private static final ActorTestKit testKit = ActorTestKit.create("ReportStreamTest");

    private final TestProbe<JobEvent> client = testKit.createTestProbe();
    private final JobMetrics metrics = new JobMetrics(0, 10_000);
    private final Batch batch = new InFlightBatches().add(InFlightBatchesTest.slot(testKit, "a", A, 1),
        fresh(0, 5000), 1_000_000);

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static void rows(ReportStream stream, Batch batch, int n) {
        for (int k = 0; k < n; k++) stream.row(batch, k, k, 2_000_000 + k, 1000, Outcome.OK);
    }

    @Test
    void rowsAreStreamedInBoundedPiecesOnlyWhenTheClientAskedForThem() {
        ReportStream streamed = new ReportStream("job", client.ref(), true, metrics);
        rows(streamed, batch, 4500);
        streamed.flushTimings();
        assertEquals(List.of(2000, 2000, 500), List.of(client.expectMessageClass(JobEvent.Timings.class).rows().size(),
            client.expectMessageClass(JobEvent.Timings.class).rows().size(),
            client.expectMessageClass(JobEvent.Timings.class).rows().size()));
        streamed.flushTimings();
        client.expectNoMessage(Duration.ofMillis(50));

        ReportStream quiet = new ReportStream("job", client.ref(), false, new JobMetrics(0, 10_000));
        rows(quiet, batch, 10);
        quiet.flushTimings();
        client.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void listenersAtTheAddressOfAClientThatClosedHearNothingMore() {
        TestProbe<JobEvent> watcher = testKit.createTestProbe();
        ReportStream stream = new ReportStream("job", client.ref(), false, metrics);
        stream.follow(watcher.ref());
        JobEvent.Queued event = new JobEvent.Queued("job", 1);

        stream.unfollow(new org.apache.pekko.actor.Address("pekko", "grid-client", "10.0.0.9", 40211));
        stream.tell(event);
        assertSame(event, client.receiveMessage());
        assertSame(event, watcher.receiveMessage());

        stream.unfollow(client.ref().path().address());
        stream.tell(event);
        stream.tellClient(event);
        client.expectNoMessage(Duration.ofMillis(50));
        watcher.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void aRowPlacesTheChunkOnTheJobsClock() {
        new ReportStream("job", client.ref(), false, metrics).row(batch, 3, 3, 2_000_000, 500_000, Outcome.DUPLICATE);
        JobReport.ChunkRow row = metrics.report("job", "noop", 5000, 0, 3_000_000).chunkRows().get(0);
        assertEquals(new JobReport.ChunkRow(3, 0, "10.0.0.1:2552", "slot-a", 0, 1.0, 2.0, 2.5, "duplicate"), row);
    }

    @Test
    void aShortSeriesTravelsInsideTheFinalReport() {
        ReportStream stream = new ReportStream("job", client.ref(), false, metrics);
        rows(stream, batch, ReportStream.INLINE_SERIES);
        JobReport report = metrics.report("job", "noop", 5000, 5000, 5_000_000);
        assertSame(report, stream.beforeTheEnd(report));
        client.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void aLongSeriesTravelsInPartsAheadOfTheFinalEvent() {
        ReportStream stream = new ReportStream("job", client.ref(), false, metrics);
        rows(stream, batch, 4500);
        JobReport report = metrics.report("job", "noop", 5000, 5000, 5_000_000);
        JobReport last = stream.beforeTheEnd(report);
        assertTrue(last.chunkRows().isEmpty());
        int rows = 0;
        for (int part = 0; part < 3; part++) rows += client.expectMessageClass(JobEvent.ReportPart.class).chunkRows().size();
        assertEquals(4500, rows);
        client.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void aListenerThatFollowsTwiceHearsEachEventOnce() {
        TestProbe<JobEvent> follower = testKit.createTestProbe();
        ReportStream stream = new ReportStream("job", client.ref(), false, metrics);
        stream.follow(follower.ref());
        stream.follow(follower.ref());
        stream.follow(client.ref());
        stream.tell(new JobEvent.Failed("job", "cancelled: test", null));
        client.expectMessageClass(JobEvent.Failed.class);
        follower.expectMessageClass(JobEvent.Failed.class);
        client.expectNoMessage(Duration.ofMillis(50));
        follower.expectNoMessage(Duration.ofMillis(10));
    }
}
