package org.pekkogrid.head;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The job journal's settings, from {@code grid.head.journal}.
 *
 * @param enabled          whether the head keeps one (jobs then survive the death of their head)
 * @param checkpointEvery  a running job's progress is written at least this often
 * @param checkpointChunks and at least every this many chunks folded, whichever comes first
 */
public record JobJournalSettings(boolean enabled, Duration checkpointEvery, long checkpointChunks) {

    public static final JobJournalSettings OFF = new JobJournalSettings(false, Duration.ofSeconds(2), 250_000);

    public static JobJournalSettings from(Config config) {
        Config c = config.getConfig("grid.head.journal");
        JobJournalSettings s = new JobJournalSettings(c.getBoolean("enabled"), c.getDuration("checkpoint-interval"),
            c.getLong("checkpoint-chunks"));
        if (s.checkpointEvery().isNegative() || s.checkpointEvery().isZero()) {
            throw new IllegalArgumentException("grid.head.journal.checkpoint-interval must be positive, got "
                + s.checkpointEvery());
        }
        if (s.checkpointChunks() < 1) {
            throw new IllegalArgumentException("grid.head.journal.checkpoint-chunks must be at least 1, got "
                + s.checkpointChunks());
        }
        return s;
    }
}
