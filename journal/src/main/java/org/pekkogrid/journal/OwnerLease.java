package org.pekkogrid.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which grid may use a journal database. Each node that uses it keeps a row in
 * {@code grid_journal_owner}: its address, the incarnation of its actor system, and a heartbeat
 * in the database's time. A node may use the journal when every fresh row (younger than the
 * lease) is its own or a node of its own cluster; it then renews its row and deletes the stale
 * ones, and the rows of processes on its own machine that no longer exist. Otherwise another
 * grid holds the journal, and the node is refused.
 *
 * <p>One row per node rather than one owner row: a node that leaves takes only its own claim
 * with it, so a grid keeps the journal as long as any of its nodes uses it, and a grid that
 * stopped gracefully frees it at once. The check and the renewal run in one transaction holding
 * the one row of {@code grid_journal_owner_lock} (SELECT ... FOR UPDATE, on H2 2.x and
 * PostgreSQL alike), so two grids that start together cannot both find the journal free. Ages
 * are differences of two timestamps of the database, never of JVM clocks.
 *
 * <p>The lease only decides who may start to use the journal; the journal's own key (a
 * persistence id's sequence numbers are unique) is what stops two writers of one entity.
 */
final class OwnerLease {

    static final String TABLE = "grid_journal_owner";
    static final String LOCK_TABLE = "grid_journal_owner_lock";

    /**
     * A node that uses the journal.
     *
     * @param address its cluster address as {@code host:port}
     * @param uid     its actor system's incarnation: a node restarted on the same address is another node
     * @param machine the host name of its machine
     * @param pid     its process on that machine
     */
    record Node(String address, long uid, String machine, long pid) {

        boolean sameNode(Node other) {
            return address.equals(other.address) && uid == other.uid;
        }

        /**
         * Whether this node's process is known to be gone, as {@code self} sees it: it ran on
         * {@code self}'s machine and no process has its pid now. A node killed and restarted
         * on its machine need not wait out its old claim. (A pid reused since only makes the
         * check cautious.)
         */
        boolean goneAsSeenFrom(Node self) {
            return machine.equals(self.machine) && pid != self.pid && ProcessHandle.of(pid).isEmpty();
        }

        @Override
        public String toString() {
            return address + " (pid " + pid + " on " + machine + ")";
        }
    }

    /** A node's row and how old its heartbeat is, by the database's clock. */
    record Claim(Node node, Duration age) {}

    /** What {@link #claim} found: the journal is this grid's, or these fresh claims of other nodes hold it. */
    record Outcome(List<Claim> foreign) {

        boolean allowed() {
            return foreign.isEmpty();
        }
    }

    private final Duration lease;

    OwnerLease(Duration lease) {
        this.lease = lease;
    }

    Duration lease() {
        return lease;
    }

    /** The owners' tables, unless they exist, and the lock's one row. Safe to run from several nodes at once. */
    static void createTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + LOCK_TABLE + " (id INT NOT NULL PRIMARY KEY)");
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (address VARCHAR(255) NOT NULL PRIMARY KEY, "
                + "uid BIGINT NOT NULL, machine VARCHAR(255) NOT NULL, pid BIGINT NOT NULL, "
                + "heartbeat TIMESTAMP WITH TIME ZONE NOT NULL)");
            try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + LOCK_TABLE)) {
                r.next();
                if (r.getLong(1) > 0) return;
            }
            try {
                s.execute("INSERT INTO " + LOCK_TABLE + " (id) VALUES (1)");
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) throw e;  // another node inserted it first
            }
        }
    }

    /**
     * Claims the journal for {@code self}, or finds that another grid holds it: in one
     * transaction. When allowed, {@code self}'s row is renewed and stale rows are deleted; when
     * refused, nothing changes.
     *
     * @param ours whether a node (not {@code self}) belongs to {@code self}'s cluster
     */
    Outcome claim(Connection c, Node self, Predicate<Node> ours) throws SQLException {
        return inTransaction(c, () -> {
            lock(c);
            List<Claim> foreign = new ArrayList<>();
            List<Claim> stale = new ArrayList<>();
            for (Claim claim : claims(c)) {
                if (claim.node().sameNode(self)) continue;
                if (claim.age().compareTo(lease) > 0 || claim.node().goneAsSeenFrom(self)) stale.add(claim);
                else if (!ours.test(claim.node())) foreign.add(claim);
            }
            if (!foreign.isEmpty()) return new Outcome(List.copyOf(foreign));
            for (Claim claim : stale) delete(c, claim.node());
            renew(c, self);
            return new Outcome(List.of());
        });
    }

    /** Deletes {@code self}'s row, if it is still its own: a node that stops gracefully frees the journal at once. */
    void release(Connection c, Node self) throws SQLException {
        inTransaction(c, () -> {
            lock(c);
            delete(c, self);
            return null;
        });
    }

    /** Every node's row, with its age. */
    static List<Claim> claims(Connection c) throws SQLException {
        List<Claim> claims = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT address, uid, machine, pid, heartbeat, CURRENT_TIMESTAMP AS db_now FROM "
                 + TABLE + " ORDER BY heartbeat DESC")) {
            while (r.next()) {
                Node node = new Node(r.getString(1), r.getLong(2), r.getString(3), r.getLong(4));
                Duration age = Duration.between(r.getObject(5, OffsetDateTime.class), r.getObject(6, OffsetDateTime.class));
                claims.add(new Claim(node, age));
            }
        }
        return claims;
    }

    private static void lock(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM " + LOCK_TABLE + " WHERE id = 1 FOR UPDATE")) {
            if (!r.next()) throw new SQLException(LOCK_TABLE + " has lost its row: run the node again to make it");
        }
    }

    private static void renew(Connection c, Node self) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE " + TABLE
                + " SET uid = ?, machine = ?, pid = ?, heartbeat = CURRENT_TIMESTAMP WHERE address = ?")) {
            if (bind(update, self).executeUpdate() > 0) return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE
                + " (uid, machine, pid, address, heartbeat) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
            bind(insert, self).executeUpdate();
        }
    }

    /** Sets a statement's parameters 1 to 4: uid, machine, pid, address. */
    private static PreparedStatement bind(PreparedStatement statement, Node node) throws SQLException {
        statement.setLong(1, node.uid());
        statement.setString(2, node.machine());
        statement.setLong(3, node.pid());
        statement.setString(4, node.address());
        return statement;
    }

    private static void delete(Connection c, Node node) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + TABLE + " WHERE address = ? AND uid = ?")) {
            delete.setString(1, node.address());
            delete.setLong(2, node.uid());
            delete.executeUpdate();
        }
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    private static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
