package org.pekkogrid.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal as nodes open it: once per node, claimed for its grid, refused to another grid, released at the end. */
class GridJournalTest {

    @TempDir
    Path dir;

    private final List<ActorTestKit> systems = new ArrayList<>();

    @AfterEach
    void stop() {
        systems.forEach(ActorTestKit::shutdownTestKit);
    }

    private ActorTestKit system(String name, Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("grid.data-dir", dir.resolve("data").toString());
        all.putIfAbsent("pekko.actor.provider", "local");
        ActorTestKit kit = ActorTestKit.create(name, ConfigFactory.parseMap(all).withFallback(ConfigFactory.load()));
        systems.add(kit);
        return kit;
    }

    private static ActorTestKit clusterNode(GridJournalTest test, String name) {
        return test.system(name, Map.of("pekko.actor.provider", "cluster", "pekko.remote.artery.canonical.port", 0,
            "pekko.remote.artery.canonical.hostname", "127.0.0.1", "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"));
    }

    private static JournalPlugins open(ActorSystem<?> system) throws Exception {
        return GridJournal.get(system).plugins().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static JournalInUseException refused(ActorSystem<?> system) {
        CompletableFuture<JournalPlugins> opening = GridJournal.get(system).plugins().toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> opening.get(30, TimeUnit.SECONDS));
        return assertInstanceOf(JournalInUseException.class, e.getCause());
    }

    @Test
    void aSecondGridOnTheSameJournalIsRefusedUntilTheFirstStops() throws Exception {
        ActorTestKit first = system("first", Map.of());
        JournalPlugins plugins = open(first.system());
        assertTrue(plugins.onThisMachine());
        assertEquals("grid-journal", plugins.journalPluginId());
        assertEquals(plugins, open(first.system()), "opened once per node");

        ActorTestKit second = system("second", Map.of());
        String message = refused(second.system()).getMessage();
        String file = dir.resolve("data").resolve("counters") + ".mv.db";
        assertTrue(message.contains(file) && message.contains("in use by another grid") && message.contains("--seed")
            && message.contains("GRID_DATA_DIR") && message.contains("GRID_JOURNAL_URL"), message);
        assertEquals("the local journal " + file, GridJournal.get(second.system()).description());

        first.shutdownTestKit();
        systems.remove(first);
        open(second.system());  // released when the first stopped: no lease to wait for
    }

    @Test
    void nodesOfOneClusterShareTheJournalAndAnotherClusterIsRefused() throws Exception {
        ActorTestKit a = clusterNode(this, "grid-a");
        ActorTestKit a2 = clusterNode(this, "grid-a");
        Cluster.get(a.system()).manager().tell(Join.create(Cluster.get(a.system()).selfMember().address()));
        Cluster.get(a2.system()).manager().tell(Join.create(Cluster.get(a.system()).selfMember().address()));
        a2.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
            assertEquals(MemberStatus.up(), Cluster.get(a2.system()).selfMember().status());
            return null;
        });
        open(a.system());
        open(a2.system());

        ActorTestKit b = clusterNode(this, "grid-b");
        Cluster.get(b.system()).manager().tell(Join.create(Cluster.get(b.system()).selfMember().address()));
        b.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
            assertEquals(MemberStatus.up(), Cluster.get(b.system()).selfMember().status());
            return null;
        });
        String message = refused(b.system()).getMessage();
        assertTrue(message.contains("127.0.0.1:"), "names a node of the grid holding the journal: " + message);
    }

    @Test
    void aNodeWhoseJournalAnotherGridTookOverRefusesUntilItIsFreeAgain() throws Exception {
        ActorTestKit node = system("node", Map.of("grid.journal.owner-lease", "1s", "grid.journal.owner-renew-every", "100ms"));
        GridJournal journal = GridJournal.get(node.system());
        open(node.system());
        assertEquals(Optional.empty(), journal.refusal("worker"));

        // As if this node had not renewed its claim for a lease and another grid's node had claimed the journal.
        JournalDatabase db = JournalDatabase.from(node.system().settings().config(), Map.of());
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + OwnerLease.TABLE);
            s.executeUpdate("INSERT INTO " + OwnerLease.TABLE + " (address, uid, machine, pid, heartbeat) "
                + "VALUES ('10.9.9.9:2552', 1, 'elsewhere', 42, CURRENT_TIMESTAMP + INTERVAL '1' HOUR)");
        }
        node.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
            GridJournal.Refusal refusal = journal.refusal("worker").orElseThrow();
            assertFalse(refusal.retryable(), "another grid holds it: retrying only waits");
            assertTrue(refusal.reason().contains("10.9.9.9:2552 (pid 42 on elsewhere)"), refusal.reason());
            return null;
        });

        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + OwnerLease.TABLE);
        }
        node.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
            assertEquals(Optional.empty(), journal.refusal("worker"));
            return null;
        });
    }

    @Test
    void aMisconfiguredJournalFailsWithItsReason() {
        ActorTestKit node = system("misconfigured", Map.of("grid.journal.url", "jdbc:mysql://db/grid"));
        CompletableFuture<JournalPlugins> opening = GridJournal.get(node.system()).plugins().toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> opening.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("jdbc:postgresql:"), e.getCause().getMessage());
    }
}
