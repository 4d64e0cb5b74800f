package org.pekkogrid.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** One size of the scale experiment: how its cluster joined and the spread of its runs. */
record ScaleSize(ClusterJoin join, List<ScaleRun> runs) {

    static List<ScaleSize> of(List<ClusterJoin> joins, List<ScaleRun> runs) {
        List<ScaleSize> sizes = new ArrayList<>();
        for (ClusterJoin j : joins) {
            sizes.add(new ScaleSize(j, runs.stream().filter(r -> r.slots() == j.slots()).toList()));
        }
        return sizes;
    }

    int slots() {
        return join.slots();
    }

    int nodes() {
        return join.nodes();
    }

    Spread spread(ToDoubleFunction<ScaleRun> figure) {
        return Spread.of(runs.stream().map(figure::applyAsDouble).toList());
    }

    Spread utilisation() {
        return spread(ScaleRun::utilisation);
    }

    Spread headCpuMicrosPerChunk() {
        return spread(ScaleRun::headCpuMicrosPerChunk);
    }

    Spread hostsCpuMicrosPerChunk() {
        return spread(ScaleRun::hostsCpuMicrosPerChunk);
    }

    Spread slotsUsed() {
        return spread(ScaleRun::slotsUsed);
    }

    Spread headCores() {
        return spread(ScaleRun::headCores);
    }

    Spread hostsCores() {
        return spread(ScaleRun::hostsCores);
    }

    Spread chunksPerSecond() {
        return spread(ScaleRun::chunksPerSecond);
    }

    Spread firstDispatchAllMillis() {
        return spread(ScaleRun::firstDispatchAllMillis);
    }

    /** Whether every run's rows held a chunk of every slot (else the first-dispatch time is a lower bound). */
    boolean everySlotSeen() {
        return runs.stream().allMatch(ScaleRun::everySlotSeen);
    }
}
