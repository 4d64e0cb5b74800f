package org.pekkogrid.bench;

import java.util.List;

/**
 * One size of a scaling experiment (slots of one node, or worker JVMs): its makespans, and its
 * speedup over the smallest size and over the sequential baseline.
 *
 * @param size    slots or nodes
 * @param cores   cores the grid's workers had at this size
 */
record ScalingPoint(int size, int cores, List<Double> makespanMillis) {

    Spread makespan() {
        return Spread.of(makespanMillis);
    }

    /** Median makespan of the first size over this one's. */
    double speedupOver(ScalingPoint first) {
        return first.makespan().median() / makespan().median();
    }

    /** Speedup over the first size per unit of size: 1.0 is linear scaling. */
    double efficiencyOver(ScalingPoint first) {
        return speedupOver(first) * first.size() / size;
    }

    double speedupOverSequential(double sequentialMillis) {
        return sequentialMillis / makespan().median();
    }
}
