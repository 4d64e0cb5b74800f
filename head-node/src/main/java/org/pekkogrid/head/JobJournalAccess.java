package org.pekkogrid.head;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.pekkogrid.journal.GridJournal;
import org.pekkogrid.journal.JournalPlugins;
import org.pekkogrid.protocol.Roles;

/** How the coordinator reaches the job journal: opening it, and whether this head may write to it now. */
interface JobJournalAccess {

    /** The journal's plug-ins once its database is open and claimed for this grid; may fail, and be tried again. */
    CompletionStage<JournalPlugins> open();

    /** Why this head must not take jobs into the journal now (another grid took it over, ...), or empty. */
    Optional<String> refusal();

    /** Where the journal is, for messages. */
    String description();

    /**
     * The grid's journal database, as {@link GridJournal} opens it for this node. Opened and its
     * plug-ins started as soon as the head is a member, on every head: a standby head that takes the coordinator over then
     * reads the journal in a few milliseconds instead of connecting first (seconds).
     */
    static JobJournalAccess of(ActorSystem<?> system) {
        GridJournal journal = GridJournal.get(system);
        // Once a member: the journal admits nodes of the grid that holds it, and a head that has not
        // joined yet is not one of them.
        org.apache.pekko.cluster.Cluster.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system))
            .registerOnMemberUp(() -> journal.plugins().thenAccept(p -> warm(system, p)));
        return new JobJournalAccess() {
            @Override
            public CompletionStage<JournalPlugins> open() {
                return journal.plugins();
            }

            @Override
            public Optional<String> refusal() {
                return journal.refusal(Roles.HEAD).map(GridJournal.Refusal::reason);
            }

            @Override
            public String description() {
                return journal.description();
            }
        };
    }

    /** Starts the journal and snapshot plug-ins (their connection pools) before any entity needs them. */
    private static void warm(ActorSystem<?> system, JournalPlugins plugins) {
        org.apache.pekko.persistence.Persistence persistence =
            org.apache.pekko.persistence.Persistence.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system));
        com.typesafe.config.Config empty = com.typesafe.config.ConfigFactory.empty();
        persistence.journalFor(plugins.journalPluginId(), plugins.journalConfig().orElse(empty));
        persistence.snapshotStoreFor(plugins.snapshotPluginId(), plugins.snapshotConfig().orElse(empty));
    }
}
