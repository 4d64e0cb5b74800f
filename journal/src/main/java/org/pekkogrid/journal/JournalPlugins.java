package org.pekkogrid.journal;

import com.typesafe.config.Config;
import java.util.Optional;

/**
 * The persistence plugins an EventSourcedBehavior writes to: their ids and, for plugins made at
 * run time, their config (see {@link GridJournal}). Give all four to the behavior
 * ({@code journalPluginId()}, {@code journalPluginConfig()}, {@code snapshotPluginId()},
 * {@code snapshotPluginConfig()}).
 *
 * @param description   where the events go, for people
 * @param onThisMachine true for a journal that only this machine's nodes share (the local H2 file)
 */
public record JournalPlugins(String journalPluginId, String snapshotPluginId, Optional<Config> journalConfig,
                             Optional<Config> snapshotConfig, String description, boolean onThisMachine) {

    /** The actor system's default journal and snapshot store (pekko.persistence.*.plugin): tests use these. */
    public static final JournalPlugins DEFAULT =
        new JournalPlugins("", "", Optional.empty(), Optional.empty(), "the default journal", false);
}
