package org.pekkogrid.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grid's journal database, for the EventSourcedBehaviors of a node (counters; jobs next).
 *
 * <pre>{@code
 * GridJournal journal = GridJournal.get(system);
 * journal.plugins().thenAccept(p -> ...);   // then: journalPluginId() = p.journalPluginId(), and so on
 * journal.refusal(Roles.WORKER)             // before each command: empty, or why not to use it now
 * }</pre>
 *
 * <p>Opened on first use, on a blocking thread: a node that never persists anything never
 * touches a file or a database. The database is prepared once per JVM (the local file's
 * directory and password, the tables); each actor system (node) then claims the journal for
 * its grid ({@link NodeClaim}, {@link OwnerLease}), renews the claim every {@code grid.journal.owner-renew-every},
 * and releases it when it stops. A node of another grid is refused with a
 * {@link JournalInUseException} that names the journal and the way out.
 *
 * <p>The persistence plugins are configured at run time (pekko-persistence-jdbc's journal and
 * snapshot store with this node's URL and credentials), because the local journal's password
 * only exists once its file has been made.
 */
public final class GridJournal implements Extension {

    /** The plugin ids: one journal and one snapshot store per node, shared by every entity type. */
    static final String JOURNAL_PLUGIN = "grid-journal";
    static final String SNAPSHOT_PLUGIN = "grid-journal-snapshots";

    private static final Logger log = LoggerFactory.getLogger(GridJournal.class);

    /** Databases this JVM has prepared (tables made), by URL. */
    private static final Map<String, JournalDatabase> PREPARED = new ConcurrentHashMap<>();

    public static final ExtensionId<GridJournal> ID = new ExtensionId<>() {
        @Override
        public GridJournal createExtension(ActorSystem<?> system) {
            return new GridJournal(system);
        }
    };

    /**
     * Why a node must not use the journal now.
     *
     * @param reason    for people: what is wrong and what to do
     * @param retryable true when the same request may succeed later (the database was unreachable),
     *                  false when it cannot until someone acts (another grid holds the journal)
     */
    public record Refusal(String reason, boolean retryable) {}

    private final ActorSystem<?> system;
    private final String description;
    private final NodeClaim claim;
    private final AtomicReference<CompletableFuture<JournalPlugins>> opened = new AtomicReference<>();

    private GridJournal(ActorSystem<?> system) {
        this.system = system;
        String where;
        try {
            where = JournalDatabase.describe(JournalSettings.from(system.settings().config(), System.getenv()));
        } catch (RuntimeException e) {
            where = "the journal (misconfigured)";  // plugins() fails with the reason
        }
        this.description = where;
        this.claim = new NodeClaim(system, where);
    }

    public static GridJournal get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /** Where the events go, for messages: the local file's path, or the URL without its parameters. */
    public String description() {
        return description;
    }

    /**
     * Completes when the journal is usable by this node: database prepared, tables made, the
     * journal claimed for this grid. Fails with {@link JournalInUseException} while another grid
     * holds it, or with the database's error. A failure is not kept: the next call tries again.
     */
    public CompletionStage<JournalPlugins> plugins() {
        CompletableFuture<JournalPlugins> current = opened.get();
        if (current != null) return current;
        CompletableFuture<JournalPlugins> mine = new CompletableFuture<>();
        if (!opened.compareAndSet(null, mine)) return opened.get();
        Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
        blocking.execute(() -> {
            try {
                mine.complete(open());
            } catch (Exception | LinkageError e) {
                // Every entity that starts meanwhile tries again: one line each, the trace at debug.
                if (e instanceof JournalInUseException) log.error("{}", e.getMessage());
                else log.warn("cannot open {}: {}", description, e.getMessage());
                log.debug("the journal's failure", e);
                opened.compareAndSet(mine, null);
                mine.completeExceptionally(e);
            }
        });
        return mine;
    }

    /**
     * Why entities on nodes of {@code role} must not use the journal now, or empty. Cheap: call it
     * before each command. Refused when another grid took the journal over, when this node could
     * not renew its claim for a lease, or when the journal is the local file and nodes of
     * {@code role} run on other machines too.
     */
    public Optional<Refusal> refusal(String role) {
        Refusal lost = claim.lost();
        if (lost != null) return Optional.of(lost);
        CompletableFuture<JournalPlugins> current = opened.get();
        if (current == null || !current.isDone() || current.isCompletedExceptionally()) return Optional.empty();
        String guard = LocalJournalGuard.refusal(system, role, current.join());
        return guard == null ? Optional.empty() : Optional.of(new Refusal(guard, false));
    }

    private JournalPlugins open() throws Exception {
        Config config = system.settings().config();
        long started = System.nanoTime();
        JournalSettings settings = JournalSettings.from(config, System.getenv());
        JournalDatabase database = prepared(settings);
        OwnerLease.Node self = claim.claim(database, settings);
        Config slick = ConfigFactory.parseMap(slickSettings(database, settings));
        Config journal = slick.withFallback(config.getConfig("jdbc-journal"));
        Config snapshots = slick.withFallback(config.getConfig("jdbc-snapshot-store"));
        log.info("{} holds this node's events; claimed for this grid as {} (opened in {} ms)", database.describe(), self,
            (System.nanoTime() - started) / 1_000_000);
        return new JournalPlugins(JOURNAL_PLUGIN, SNAPSHOT_PLUGIN, Optional.of(journal.atKey(JOURNAL_PLUGIN)),
            Optional.of(snapshots.atKey(SNAPSHOT_PLUGIN)), database.describe(), database.isLocal());
    }

    /** The database of these settings, prepared once per JVM: directory, password, H2's settings, tables. */
    private static JournalDatabase prepared(JournalSettings settings) throws Exception {
        JournalDatabase db = JournalDatabase.from(settings);
        synchronized (PREPARED) {
            JournalDatabase known = PREPARED.get(db.url());
            if (known != null) return known;
            if (db.isLocal()) H2Process.prepareForLocalJournal();
            db.createTables();
            PREPARED.put(db.url(), db);
            return db;
        }
    }

    static boolean clustered(ActorSystem<?> system) {
        return "cluster".equals(system.settings().config().getString("pekko.actor.provider"));
    }

    private static Map<String, Object> slickSettings(JournalDatabase db, JournalSettings settings) {
        Map<String, Object> s = new HashMap<>();
        s.put("slick.profile", db.slickProfile());
        s.put("slick.db.url", db.url());
        s.put("slick.db.user", db.user());
        s.put("slick.db.password", db.password());
        s.put("slick.db.driver", db.driver());
        // Slick wants as many connections as threads; one of each stays open.
        s.put("slick.db.numThreads", settings.connections());
        s.put("slick.db.maxConnections", settings.connections());
        s.put("slick.db.minConnections", 1);
        s.put("slick.db.connectionTimeout", settings.connectTimeout().toMillis());
        return s;
    }
}
