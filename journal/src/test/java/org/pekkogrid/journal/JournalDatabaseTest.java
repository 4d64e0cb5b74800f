package org.pekkogrid.journal;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local journal: an H2 file made on first use, owner-only, served on loopback only; and the URLs it accepts. */
class JournalDatabaseTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void h2() {
        // As every node does before its first connection: H2 reads its bind address once per JVM.
        H2Process.prepareForLocalJournal();
    }

    static Config config(Path dataDir) {
        return ConfigFactory.parseMap(Map.of("grid.data-dir", dataDir.toString(), "pekko.actor.provider", "local"))
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
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String table : new String[] {"\"event_journal\"", "\"snapshot\"", OwnerLease.TABLE, OwnerLease.LOCK_TABLE}) {
                try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    assertTrue(r.next());
                    assertEquals(table.equals(OwnerLease.LOCK_TABLE) ? 1 : 0, r.getLong(1), table);
                }
            }
        }
        assertEquals(db.password(), JournalDatabase.from(config(data), Map.of()).password(), "the password is made once");
        assertFalse(db.toString().contains(db.password()), "the password never shows");
        assertEquals("the local journal " + data.resolve("counters") + ".mv.db", db.describe());
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
        for (String key : new String[] {"grid.journal.url", "grid.counter.journal-url"}) {
            Config c = ConfigFactory.parseMap(Map.of(key, "jdbc:mysql://db/grid?password=x")).withFallback(config(dir));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JournalDatabase.from(c, Map.of()));
            assertTrue(e.getMessage().contains("jdbc:postgresql:"), e.getMessage());
            assertFalse(e.getMessage().contains("password=x"), "URL parameters may hold secrets: " + e.getMessage());
        }
    }

    @Test
    void theNewSettingsWinOverTheirOlderNamesAndThePasswordComesFromTheEnvironmentOnly() {
        Config both = ConfigFactory.parseMap(Map.of(
                "grid.journal.url", "jdbc:postgresql://new/grid", "grid.counter.journal-url", "jdbc:postgresql://old/grid",
                "grid.counter.journal-user", "old-user"))
            .withFallback(config(dir));
        JournalSettings s = JournalSettings.from(both, Map.of("GRID_JOURNAL_PASSWORD", "pw"));
        assertEquals("jdbc:postgresql://new/grid", s.url());
        assertEquals("old-user", s.user(), "the older name is read while the new one is empty");
        assertEquals("pw", s.password());
        assertEquals("env-user", JournalSettings.from(both, Map.of("GRID_JOURNAL_USER", "env-user")).user());
        assertEquals("the journal at jdbc:postgresql://old/grid",
            JournalDatabase.describe(JournalSettings.from(ConfigFactory.parseMap(Map.of(
                "grid.counter.journal-url", "jdbc:postgresql://old/grid?password=x")).withFallback(config(dir)), Map.of())));
        assertFalse(s.toString().contains("pw"));
    }

    @Test
    void theLocalJournalIsServedOnLoopbackOnly() throws Exception {
        JournalDatabase db = JournalDatabase.from(config(dir.resolve("data")), Map.of());
        db.createTables();
        try (Connection open = db.connect()) {
            assertTrue(open.isValid(5), "while a connection is open, this JVM serves the file to the others");
            assertServedOnLoopbackOnly(dir.resolve("data").resolve("counters.lock.db"));
        }
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
}
