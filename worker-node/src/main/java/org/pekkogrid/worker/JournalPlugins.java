package org.pekkogrid.worker;

import com.typesafe.config.Config;
import java.util.Optional;

/**
 * The persistence plugins a counter writes to: their ids and, for plugins made at run time, their
 * config (see {@link CounterJournal}).
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
