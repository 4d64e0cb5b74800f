package org.pekkogrid.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One grid owns a journal at a time: the owners' table in a real H2 file, as two grids' nodes would see it. */
class OwnerLeaseTest {

    /** A live process, so that the nodes below are not taken for killed ones. */
    private static final long LIVE = ProcessHandle.current().pid();
    private static final OwnerLease.Node A = new OwnerLease.Node("127.0.0.1:25802", 11, "here", LIVE);
    private static final OwnerLease.Node A2 = new OwnerLease.Node("127.0.0.1:25803", 12, "here", LIVE);
    private static final OwnerLease.Node B = new OwnerLease.Node("127.0.0.1:40000", 21, "here", LIVE);

    @TempDir
    Path dir;

    private final OwnerLease lease = new OwnerLease(Duration.ofSeconds(15));
    private JournalDatabase db;

    @BeforeAll
    static void h2() {
        H2Process.prepareForLocalJournal();
    }

    /** The database under test: the local H2 file. */
    JournalDatabase database(Path dataDir) throws Exception {
        return JournalDatabase.from(JournalDatabaseTest.config(dataDir), Map.of());
    }

    @BeforeEach
    void database() throws Exception {
        db = database(dir.resolve("data"));
        db.createTables();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + OwnerLease.TABLE);  // a database server keeps its rows between tests
        }
    }

    private OwnerLease.Outcome claim(OwnerLease.Node self, OwnerLease.Node... members) throws Exception {
        List<OwnerLease.Node> cluster = List.of(members);
        try (Connection c = db.connect()) {
            return lease.claim(c, self, n -> cluster.stream().anyMatch(n::sameNode));
        }
    }

    private List<OwnerLease.Node> owners() throws Exception {
        try (Connection c = db.connect()) {
            return OwnerLease.claims(c).stream().map(OwnerLease.Claim::node).sorted(
                java.util.Comparator.comparing(OwnerLease.Node::address)).toList();
        }
    }

    /** Makes every claim this much older, as if its node had stopped renewing it that long ago. */
    private void age(Duration by) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + OwnerLease.TABLE + " SET heartbeat = heartbeat - INTERVAL '" + by.toSeconds() + "' SECOND");
        }
    }

    @Test
    void aNodeOfAnotherGridIsRefusedWhileTheClaimIsFresh() throws Exception {
        assertTrue(claim(A).allowed(), "a journal nobody claims is free");
        OwnerLease.Outcome refused = claim(B);
        assertFalse(refused.allowed());
        assertEquals(A, refused.foreign().get(0).node());
        assertTrue(refused.foreign().get(0).age().compareTo(Duration.ofSeconds(5)) < 0, refused.toString());
        assertEquals(List.of(A), owners(), "a refused node leaves no claim");
        assertTrue(claim(A).allowed(), "the owner renews its claim");
    }

    @Test
    void aStaleClaimIsTakenOver() throws Exception {
        assertTrue(claim(A).allowed());
        age(Duration.ofSeconds(16));
        assertTrue(claim(B).allowed(), "the grid whose last node died can be replaced after the lease");
        assertEquals(List.of(B), owners(), "the stale claim is gone");
        assertFalse(claim(A).allowed(), "and the old grid, were it back, is refused now");
    }

    @Test
    void nodesOfTheClaimingClusterShareTheJournal() throws Exception {
        assertTrue(claim(A).allowed());
        assertTrue(claim(A2, A).allowed(), "A is a member of A2's cluster");
        assertEquals(List.of(A, A2), owners());
        assertFalse(claim(B).allowed(), "another grid is refused while any of them holds a fresh claim");
    }

    @Test
    void aGridKeepsTheJournalWhileAnyOfItsNodesUsesIt() throws Exception {
        assertTrue(claim(A).allowed());
        assertTrue(claim(A2, A).allowed());
        try (Connection c = db.connect()) {
            lease.release(c, A);
        }
        assertEquals(List.of(A2), owners());
        assertFalse(claim(B).allowed(), "A left, A2 still holds the journal");
        try (Connection c = db.connect()) {
            lease.release(c, A2);
        }
        assertTrue(claim(B).allowed(), "a grid that stopped gracefully frees the journal at once");
    }

    @Test
    void aNodeRestartedOnTheSameAddressIsAnotherNode() throws Exception {
        assertTrue(claim(A).allowed());
        OwnerLease.Node restarted = new OwnerLease.Node(A.address(), 99, "elsewhere", 7);
        assertFalse(claim(restarted).allowed(), "the same host:port on another machine may be another grid's node");
        assertTrue(claim(restarted, A).allowed(), "unless the old incarnation is a member of its cluster");
        assertEquals(List.of(restarted), owners());
    }

    @Test
    void theClaimOfAProcessGoneFromThisMachineIsTakenOverAtOnce() throws Exception {
        long deadPid = deadPid();
        OwnerLease.Node killed = new OwnerLease.Node(A.address(), 31, "here", deadPid);
        assertTrue(claim(killed).allowed());
        OwnerLease.Node restarted = new OwnerLease.Node(A.address(), 32, "here", LIVE);
        assertTrue(claim(restarted).allowed(), "a head killed and restarted on its machine takes its journal back");
        assertEquals(List.of(restarted), owners());
        assertFalse(claim(B).allowed(), "a live process on this machine keeps its claim");
    }

    @Test
    void aPidSaysNothingAboutAnotherMachine() throws Exception {
        OwnerLease.Node elsewhere = new OwnerLease.Node(A.address(), 31, "another machine", deadPid());
        assertTrue(claim(elsewhere).allowed());
        assertFalse(claim(B).allowed(), "no process here has that pid, but the claim is another machine's");
    }

    private static long deadPid() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        return gone.pid();
    }

    @Test
    void twoGridsStartingTogetherCannotBothClaimTheJournal() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                CountDownLatch go = new CountDownLatch(1);
                Callable<Boolean> a = () -> {
                    go.await();
                    return claim(A).allowed();
                };
                Callable<Boolean> b = () -> {
                    go.await();
                    return claim(B).allowed();
                };
                Future<Boolean> fa = pool.submit(a);
                Future<Boolean> fb = pool.submit(b);
                go.countDown();
                boolean allowedA = fa.get(30, TimeUnit.SECONDS);
                boolean allowedB = fb.get(30, TimeUnit.SECONDS);
                assertTrue(allowedA ^ allowedB, "round " + round + ": exactly one grid gets the journal, not " + allowedA + "/" + allowedB);
                try (Connection c = db.connect()) {
                    lease.release(c, allowedA ? A : B);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
