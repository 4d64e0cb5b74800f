package org.pekkogrid.bench;

import java.util.List;
import java.util.Map;

/**
 * What one run of {@code grid bench load} found: its two phases, and the head's live heap at
 * each moment it was read.
 *
 * @param grid the head's count of worker nodes and slots
 */
record LoadRun(LoadSize size, LoadPhase mixed, LoadPhase oneChunk, Map<Moment, LiveHeap.Reading> heap, Grids.Size grid) {

    /** When the head's heap is read. */
    enum Moment {
        BEFORE("before"),
        AFTER_MIXED("after the mixed phase"),
        AFTER_ONE_CHUNK("after the one-chunk phase");

        final String label;

        Moment(String label) {
            this.label = label;
        }
    }

    LoadRun {
        heap = Map.copyOf(heap);
    }

    List<LoadPhase> phases() {
        return List.of(mixed, oneChunk);
    }

    /** Jobs that did not end exact for a reason of the grid's: wrong answers, failures, jobs lost. */
    long broken() {
        return mixed.broken() + oneChunk.broken();
    }

    LiveHeap.Reading heapAt(Moment moment) {
        return heap.get(moment);
    }
}
