package org.pekkogrid.journal;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where the journal is and how nodes use it, from {@code grid.journal} (and the older
 * {@code grid.counter.journal-*} names, read when the new ones are not set).
 *
 * @param url             a JDBC URL, or empty for the local H2 file in {@code dataDir}
 * @param user            the database user for {@code url}
 * @param password        from GRID_JOURNAL_PASSWORD only: never from a config file
 * @param dataDir         where the local H2 file lives
 * @param connections     connections a node opens (for events, and again for snapshots)
 * @param connectTimeout  how long a write waits for a connection
 * @param ownerLease      how long a grid's claim on the journal lasts unless renewed
 * @param ownerRenewEvery how often a node renews its claim
 */
record JournalSettings(String url, String user, String password, Path dataDir, int connections,
                       Duration connectTimeout, Duration ownerLease, Duration ownerRenewEvery) {

    JournalSettings {
        if (connections < 1) throw new IllegalArgumentException("grid.journal.connections must be at least 1, got " + connections);
        if (ownerRenewEvery.isNegative() || ownerRenewEvery.isZero()
                || ownerRenewEvery.multipliedBy(2).compareTo(ownerLease) > 0) {
            throw new IllegalArgumentException("grid.journal.owner-renew-every (" + ownerRenewEvery + ") must be positive "
                + "and at most half of grid.journal.owner-lease (" + ownerLease + "), so that one late renewal does not "
                + "hand the journal to another grid");
        }
    }

    /** @param env the process environment: GRID_JOURNAL_USER, GRID_JOURNAL_PASSWORD */
    static JournalSettings from(Config config, Map<String, String> env) {
        Config j = config.getConfig("grid.journal");
        String url = either(config, "grid.journal.url", "grid.counter.journal-url");
        String user = env.getOrDefault("GRID_JOURNAL_USER", either(config, "grid.journal.user", "grid.counter.journal-user"));
        int connections = config.hasPath("grid.counter.journal-connections")
            ? config.getInt("grid.counter.journal-connections") : j.getInt("connections");
        Duration connectTimeout = config.hasPath("grid.counter.journal-connect-timeout")
            ? config.getDuration("grid.counter.journal-connect-timeout") : j.getDuration("connect-timeout");
        return new JournalSettings(url, user, env.getOrDefault("GRID_JOURNAL_PASSWORD", ""),
            Path.of(config.getString("grid.data-dir")).toAbsolutePath().normalize(), connections, connectTimeout,
            j.getDuration("owner-lease"), j.getDuration("owner-renew-every"));
    }

    /** The value at {@code key}, or when that is empty at the older {@code alias}. */
    private static String either(Config config, String key, String alias) {
        String value = config.getString(key).trim();
        if (value.isEmpty() && config.hasPath(alias)) value = config.getString(alias).trim();
        return value;
    }

    @Override
    public String toString() {
        // Never the password.
        return "JournalSettings[url=" + JournalDatabase.display(url) + ", user=" + user + ", dataDir=" + dataDir + "]";
    }
}
