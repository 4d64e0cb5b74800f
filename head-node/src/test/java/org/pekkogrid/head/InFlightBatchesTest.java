package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.head.InFlightBatches.Batch;
import org.pekkogrid.head.InFlightBatches.Chunks;
import org.pekkogrid.protocol.NodeCapacity;
import org.pekkogrid.protocol.SlotCommand;

class InFlightBatchesTest {

    private static final ActorTestKit testKit = ActorTestKit.create("InFlightBatchesTest");
    static final Address A = new Address("pekko", "grid", "10.0.0.1", 2552);
    static final Address B = new Address("pekko", "grid", "10.0.0.2", 2552);

    private final InFlightBatches inFlight = new InFlightBatches();

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    static Slot slot(ActorTestKit testKit, String name, Address node, int cores) {
        ActorRef<SlotCommand> ref = testKit.<SlotCommand>createTestProbe(name).ref();
        return new Slot(ref, ref, "slot-" + name, node, new NodeCapacity(cores, 1L << 30, Set.of()));
    }

    /** A batch of fresh chunks {@code start .. start + count - 1}. */
    static ChunkQueue.Planned fresh(long start, int count) {
        return new ChunkQueue.Planned(new long[] {start, count}, new int[0], null, count);
    }

    @Test
    void aBatchCountsAgainstItsSlotUntilItsResultsCome() {
        Slot a1 = slot(testKit, "a1", A, 2);
        Slot a2 = slot(testKit, "a2", A, 2);
        Batch first = inFlight.add(a1, fresh(0, 10), 0);
        Batch second = inFlight.add(a1, fresh(10, 5), 0);
        inFlight.add(a2, fresh(15, 1), 0);
        assertEquals(2, inFlight.batchesOn(a1.ref()));
        assertEquals(15, inFlight.chunksOn(a1.ref()));
        assertEquals(2, inFlight.busySlotsOn(A));
        assertEquals(0, inFlight.busySlotsOn(B));
        assertEquals(16, inFlight.chunks());

        assertSame(first, inFlight.remove(first.id));
        assertFalse(inFlight.release(first), "the slot still holds a batch");
        assertSame(second, inFlight.remove(second.id));
        assertTrue(inFlight.release(second), "the slot drained");
        assertEquals(0, inFlight.batchesOn(a1.ref()));
        assertEquals(1, inFlight.busySlotsOn(A));
        assertEquals(1, inFlight.chunks());
        assertNull(inFlight.remove(first.id), "answered already");
    }

    @Test
    void aLostNodesBatchesAreAbandonedButStayForTheirLateResults() {
        Slot a = slot(testKit, "a", A, 1);
        Slot b = slot(testKit, "b", B, 1);
        Batch onA = inFlight.add(a, fresh(0, 4), 0);
        Batch onB = inFlight.add(b, fresh(4, 4), 0);

        List<Batch> lost = inFlight.abandonWhere(batch -> batch.slot.node().equals(A));

        assertEquals(List.of(onA), lost);
        assertTrue(onA.abandoned());
        assertFalse(onB.abandoned());
        assertEquals(0, inFlight.batchesOn(a.ref()), "an abandoned batch no longer loads its slot");
        assertEquals(4, inFlight.chunks());
        assertSame(onA, inFlight.get(onA.id), "a late result still finds it");
        assertEquals(List.of(), inFlight.abandonWhere(batch -> batch.slot.node().equals(A)), "abandoned once");
        assertEquals(Set.of(a.ref(), b.ref()), inFlight.slotsUsed(), "both slots are told when the job ends");
    }

    @Test
    void aBatchsChunksAreWalkedInTheOrderTheSlotRunsThemWithTheirPositions() {
        Slot a = slot(testKit, "walk", A, 1);
        Batch batch = inFlight.add(a, new ChunkQueue.Planned(new long[] {7, 2, 3, 1, 20, 3}, new int[] {1, 0, 2, 0, 0, 0},
            new long[] {50, -1, 60, -1, -1, -1}, 6), 0);
        List<Long> chunks = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (Chunks c = batch.chunks(); c.next(); ) {
            chunks.add(c.chunk());
            positions.add(c.position());
        }
        assertEquals(List.of(7L, 8L, 3L, 20L, 21L, 22L), chunks);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), positions);
        assertEquals(20, batch.chunkAt(3));
        assertEquals(2, batch.attemptAt(2));
        assertEquals(60, batch.queuedNanosAt(2));
        Batch firstAttempts = inFlight.add(a, fresh(0, 2), 0);
        assertEquals(0, firstAttempts.attemptAt(1));
        assertEquals(-1, firstAttempts.queuedNanosAt(1), "a fresh chunk was never queued again");
    }
}
