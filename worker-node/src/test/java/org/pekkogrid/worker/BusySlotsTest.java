package org.pekkogrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BusySlotsTest {

    /** Records what reaches the metrics behind the count. */
    private static final class Recorded implements WorkerMetrics {
        final List<String> calls = new ArrayList<>();

        @Override
        public void batchRan(String workload, long[] runNanos, int failed) {
            calls.add("ran " + workload + " " + runNanos.length + " " + failed);
        }

        @Override
        public SlotLoad slotStarted() {
            calls.add("started");
            return new SlotLoad() {
                @Override
                public void update(int queuedBatches, boolean busy) {
                    calls.add("update " + queuedBatches + " " + busy);
                }

                @Override
                public void close() {
                    calls.add("closed");
                }
            };
        }
    }

    @Test
    void countsTheSlotsRunningABatchAndPassesEverythingOn() {
        Recorded behind = new Recorded();
        BusySlots slots = new BusySlots(behind);
        WorkerMetrics.SlotLoad a = slots.slotStarted();
        WorkerMetrics.SlotLoad b = slots.slotStarted();
        assertEquals(0, slots.now());

        a.update(2, true);
        a.update(1, true);   // still one batch running: counted once
        b.update(0, true);
        assertEquals(2, slots.now());

        a.update(0, false);
        assertEquals(1, slots.now());
        b.close();
        b.close();           // idempotent
        b.update(3, true);   // a closed slot counts no more
        assertEquals(0, slots.now());

        slots.batchRan("noop", new long[] {1, 2, 3}, 1);
        assertEquals(List.of("started", "started", "update 2 true", "update 1 true", "update 0 true", "update 0 false",
            "update 0 false", "closed", "ran noop 3 1"), behind.calls);
    }
}
