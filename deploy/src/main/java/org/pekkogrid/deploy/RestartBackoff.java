package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How long a node waits before it starts its actor system again: {@code min} before the first
 * restart, doubling with each restart that did not make it a member again, never more than
 * {@code max}. The count starts over once the node is a member ({@link RestartingNode}).
 *
 * @param min wait before the first restart
 * @param max longest wait
 */
record RestartBackoff(Duration min, Duration max) {

    RestartBackoff {
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("grid.rejoin.min-backoff must be positive, got " + min);
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("grid.rejoin.max-backoff (" + max + ") must be at least grid.rejoin.min-backoff ("
                + min + ")");
        }
    }

    static RestartBackoff from(Config config) {
        return new RestartBackoff(config.getDuration("grid.rejoin.min-backoff"), config.getDuration("grid.rejoin.max-backoff"));
    }

    /** The wait before restart number {@code restart} (1 for the first since the node was last a member). */
    Duration delay(int restart) {
        if (restart < 1) throw new IllegalArgumentException("restarts are counted from 1, got " + restart);
        // min * 2^(restart-1), without overflowing for a node that has been retrying for days
        int doublings = Math.min(restart - 1, 62);
        long maxMillis = max.toMillis();
        long millis = min.toMillis();
        for (int i = 0; i < doublings && millis < maxMillis; i++) millis *= 2;
        return Duration.ofMillis(Math.min(millis, maxMillis));
    }
}
