package org.pekkogrid.worker;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How counters behave on a worker node, from {@code grid.counter} in the config.
 *
 * @param dedupWindow   increments whose request ids a counter remembers
 * @param snapshotEvery increments between two snapshots of a counter
 * @param passivateAfter idle time after which a counter leaves memory
 * @param restartBackoffMin first pause before a counter restarts after a failed journal write
 * @param restartBackoffMax longest such pause
 * @param stashCapacity commands a counter holds while its journal is being opened
 */
public record CounterSettings(int dedupWindow, int snapshotEvery, Duration passivateAfter, Duration restartBackoffMin,
                              Duration restartBackoffMax, int stashCapacity) {

    public CounterSettings {
        if (dedupWindow < 1) throw new IllegalArgumentException("grid.counter.dedup-window must be at least 1, got " + dedupWindow);
        if (snapshotEvery < 1) throw new IllegalArgumentException("grid.counter.snapshot-every must be at least 1, got " + snapshotEvery);
        if (passivateAfter.isNegative() || passivateAfter.isZero()) {
            throw new IllegalArgumentException("grid.counter.passivate-after must be positive, got " + passivateAfter);
        }
        if (restartBackoffMax.compareTo(restartBackoffMin) < 0) {
            throw new IllegalArgumentException("grid.counter.restart-backoff-max must not be below restart-backoff-min");
        }
    }

    public static CounterSettings from(Config config) {
        Config c = config.getConfig("grid.counter");
        return new CounterSettings(c.getInt("dedup-window"), c.getInt("snapshot-every"), c.getDuration("passivate-after"),
            c.getDuration("restart-backoff-min"), c.getDuration("restart-backoff-max"),
            config.getInt("pekko.persistence.typed.stash-capacity"));
    }
}
