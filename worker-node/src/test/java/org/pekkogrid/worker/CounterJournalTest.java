package org.pekkogrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.protocol.CounterCommand;
import org.pekkogrid.protocol.CounterReply;
import org.pekkogrid.protocol.CounterValue;

/** The local journal: an H2 file made on first use, owner-only, whose counters outlive their actor system. */
class CounterJournalTest {

    @TempDir
    Path dir;

    private Config config(Path dataDir) {
        return ConfigFactory.parseMap(Map.of("grid.data-dir", dataDir.toString(), "pekko.actor.provider", "local"))
            .withFallback(ConfigFactory.parseResources("pekko-grid.conf"))
            .withFallback(ConfigFactory.load());
    }

    @Test
    void theLocalJournalIsMadeOwnerOnlyWithItsTablesAndKeepsItsPassword() throws Exception {
        Path data = dir.resolve("data");
        JournalDatabase db = JournalDatabase.from(config(data), Map.of());
        db.createTables();
        db.createTables();  // a second node (or run) finds them made

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        Path secret = data.resolve("counters.secret");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        assertTrue(db.url().contains("AUTO_SERVER=TRUE") && db.url().contains("WRITE_DELAY=0"), db.url());
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM \"event_journal\"")) {
            assertTrue(r.next());
            assertEquals(0, r.getLong(1));
        }
        assertEquals(db.password(), JournalDatabase.from(config(data), Map.of()).password(), "the password is made once");
        assertFalse(db.toString().contains(db.password()), "the password never shows");
    }

    @Test
    void aReplacedSecretIsReportedWithWhatToDo() throws Exception {
        Path data = dir.resolve("data");
        JournalDatabase.from(config(data), Map.of()).createTables();
        Files.writeString(data.resolve("counters.secret"), "not-the-password\n");
        SQLException e = assertThrows(SQLException.class, () -> JournalDatabase.from(config(data), Map.of()).createTables());
        assertTrue(e.getMessage().contains("counters.secret no longer belongs to this database"), e.getMessage());
    }

    @Test
    void aJournalUrlOfAnotherDatabaseIsRefused() {
        Config c = ConfigFactory.parseMap(Map.of("grid.counter.journal-url", "jdbc:mysql://db/grid?password=x"))
            .withFallback(config(dir));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JournalDatabase.from(c, Map.of()));
        assertTrue(e.getMessage().contains("jdbc:postgresql:"), e.getMessage());
        assertFalse(e.getMessage().contains("password=x"), "URL parameters may hold secrets: " + e.getMessage());
    }

    /** The H2 server that AUTO_SERVER started (its port is in the lock file) takes loopback connections only. */
    private static void assertServedOnLoopbackOnly(Path lockFile) throws IOException {
        Properties lock = new Properties();
        try (var in = Files.newInputStream(lockFile)) {
            lock.load(in);
        }
        String server = lock.getProperty("server");
        assertTrue(server != null && server.contains(":"), "the lock file names the server: " + lock);
        int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
        try (Socket loopback = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertTrue(loopback.isConnected());
        }
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address.isLoopbackAddress()) continue;
                assertThrows(ConnectException.class, () -> new Socket(address, port).close(),
                    "the journal's server must not be reachable at " + address);
            }
        }
    }

    @Test
    void aCounterOnTheLocalJournalOutlivesItsActorSystem() throws IOException {
        Path data = dir.resolve("data");
        CounterSettings settings = CounterSettings.from(config(data));
        ActorTestKit first = ActorTestKit.create("journal-first", config(data));
        try {
            TestProbe<CounterReply> probe = first.createTestProbe();
            ActorRef<CounterCommand> counter =
                first.spawn(Counter.create("hits", settings, CounterJournal.get(first.system())));
            counter.tell(new CounterCommand.Increment("a", 40, probe.ref()));
            counter.tell(new CounterCommand.Increment("b", 2, probe.ref()));
            assertEquals(40, ((CounterValue) probe.receiveMessage()).value());
            assertEquals(42, ((CounterValue) probe.receiveMessage()).value());
            assertServedOnLoopbackOnly(data.resolve("counters.lock.db"));

            // A second counter finds the journal open.
            ActorRef<CounterCommand> other =
                first.spawn(Counter.create("misses", settings, CounterJournal.get(first.system())));
            other.tell(new CounterCommand.Increment("a", 7, probe.ref()));
            CounterValue misses = (CounterValue) probe.receiveMessage();
            assertEquals("misses", misses.name());
            assertEquals(7, misses.value(), "request ids belong to one counter: \"a\" is new to this one");
        } finally {
            first.shutdownTestKit();
        }
        ActorTestKit second = ActorTestKit.create("journal-second", config(data));
        try {
            TestProbe<CounterReply> probe = second.createTestProbe();
            ActorRef<CounterCommand> counter =
                second.spawn(Counter.create("hits", settings, CounterJournal.get(second.system())));
            counter.tell(new CounterCommand.Increment("a", 40, probe.ref()));
            CounterValue retried = (CounterValue) probe.receiveMessage();
            assertFalse(retried.applied(), "request id a was applied by the first system");
            assertEquals(42, retried.value());
        } finally {
            second.shutdownTestKit();
        }
    }
}
