package org.pekkogrid.worker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal of a node's counters, opened when the first counter starts on the node: a node
 * that never holds a counter never touches a file or a database.
 *
 * <p>The persistence plugins are configured at run time (pekko-persistence-jdbc's journal and
 * snapshot store with this node's URL and credentials), because the local journal's password
 * only exists once its file has been made.
 */
public final class CounterJournal implements Extension {

    static final String JOURNAL_PLUGIN = "grid-counter-journal";
    static final String SNAPSHOT_PLUGIN = "grid-counter-snapshot-store";

    private static final Logger log = LoggerFactory.getLogger(CounterJournal.class);

    public static final ExtensionId<CounterJournal> ID = new ExtensionId<>() {
        @Override
        public CounterJournal createExtension(ActorSystem<?> system) {
            return new CounterJournal(system);
        }
    };

    private final ActorSystem<?> system;
    private final AtomicReference<CompletableFuture<JournalPlugins>> ready = new AtomicReference<>();

    private CounterJournal(ActorSystem<?> system) {
        this.system = system;
    }

    public static CounterJournal get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /**
     * Completes when the journal is usable (directory, password and tables made, on a blocking
     * thread). A failure is not kept: the next counter to start tries again.
     */
    public CompletionStage<JournalPlugins> ready() {
        CompletableFuture<JournalPlugins> current = ready.get();
        if (current != null) return current;
        CompletableFuture<JournalPlugins> mine = new CompletableFuture<>();
        if (!ready.compareAndSet(null, mine)) return ready.get();
        Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
        blocking.execute(() -> {
            try {
                mine.complete(open());
            } catch (Exception | LinkageError e) {
                // Every counter that starts meanwhile tries again: one line each, the trace at debug.
                log.warn("counters cannot open their journal: {}", e.getMessage());
                log.debug("the journal's failure", e);
                ready.compareAndSet(mine, null);
                mine.completeExceptionally(e);
            }
        });
        return mine;
    }

    private JournalPlugins open() throws Exception {
        Config config = system.settings().config();
        long started = System.nanoTime();
        JournalDatabase db = JournalDatabase.from(config, System.getenv());
        if (db.isLocal()) H2Process.prepareForLocalJournal();
        db.createTables();
        Config slick = ConfigFactory.parseMap(slickSettings(db, config.getConfig("grid.counter")));
        Config journal = slick.withFallback(config.getConfig("jdbc-journal"));
        Config snapshots = slick.withFallback(config.getConfig("jdbc-snapshot-store"));
        log.info("counters keep their events in {} (opened in {} ms)", db.describe(), (System.nanoTime() - started) / 1_000_000);
        return new JournalPlugins(JOURNAL_PLUGIN, SNAPSHOT_PLUGIN, Optional.of(journal.atKey(JOURNAL_PLUGIN)),
            Optional.of(snapshots.atKey(SNAPSHOT_PLUGIN)), db.describe(), db.isLocal());
    }

    private static Map<String, Object> slickSettings(JournalDatabase db, Config counter) {
        int connections = counter.getInt("journal-connections");
        Map<String, Object> s = new HashMap<>();
        s.put("slick.profile", db.slickProfile());
        s.put("slick.db.url", db.url());
        s.put("slick.db.user", db.user());
        s.put("slick.db.password", db.password());
        s.put("slick.db.driver", db.driver());
        // Slick wants as many connections as threads; one of each stays open.
        s.put("slick.db.numThreads", connections);
        s.put("slick.db.maxConnections", connections);
        s.put("slick.db.minConnections", 1);
        s.put("slick.db.connectionTimeout", counter.getDuration("journal-connect-timeout").toMillis());
        return s;
    }
}
