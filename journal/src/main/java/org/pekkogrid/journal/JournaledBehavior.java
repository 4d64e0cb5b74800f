package org.pekkogrid.journal;

import com.typesafe.config.Config;
import java.util.Optional;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * An event-sourced behavior that writes to the grid's journal: the plug-ins {@link GridJournal}
 * opened, given at construction, since they are configured at run time.
 */
public abstract class JournaledBehavior<C, E, S> extends EventSourcedBehavior<C, E, S> {

    private final JournalPlugins plugins;

    protected JournaledBehavior(PersistenceId persistenceId, BackoffSupervisorStrategy onPersistFailure,
                                JournalPlugins plugins) {
        super(persistenceId, onPersistFailure);
        this.plugins = plugins;
    }

    @Override
    public String journalPluginId() {
        return plugins.journalPluginId();
    }

    @Override
    public Optional<Config> journalPluginConfig() {
        return plugins.journalConfig();
    }

    @Override
    public String snapshotPluginId() {
        return plugins.snapshotPluginId();
    }

    @Override
    public Optional<Config> snapshotPluginConfig() {
        return plugins.snapshotConfig();
    }
}
