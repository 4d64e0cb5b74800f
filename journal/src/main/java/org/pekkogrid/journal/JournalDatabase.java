package org.pekkogrid.journal;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The journal database: by default an H2 file in {@code grid.data-dir} that the JVMs of one
 * machine share, or the JDBC URL in {@code grid.journal.url}. Knows the credentials (never from a
 * config file), the Slick profile, and the tables: pekko-persistence-jdbc's, and the owners'
 * ({@link OwnerLease}).
 */
final class JournalDatabase {

    /** File name of the local database, without H2's {@code .mv.db}. */
    static final String LOCAL_NAME = "counters";

    private final String url;
    private final String user;
    private final String password;
    private final boolean h2;
    private final Path localFile;

    private JournalDatabase(String url, String user, String password, boolean h2, Path localFile) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.h2 = h2;
        this.localFile = localFile;
    }

    /**
     * The journal database this config names. For the local H2 file this creates the data
     * directory and the password file if they are missing.
     *
     * @param env the process environment: GRID_JOURNAL_USER, GRID_JOURNAL_PASSWORD
     */
    static JournalDatabase from(Config config, Map<String, String> env) throws IOException {
        return from(JournalSettings.from(config, env));
    }

    static JournalDatabase from(JournalSettings settings) throws IOException {
        String given = checkedUrl(settings);
        if (given.isEmpty()) return local(settings.dataDir());
        return new JournalDatabase(given, settings.user(), settings.password(),
            given.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:"), null);
    }

    /** Where the journal of these settings is, for people; touches nothing. */
    static String describe(JournalSettings settings) {
        String given = checkedUrl(settings);
        return given.isEmpty() ? describeLocal(settings.dataDir().resolve(LOCAL_NAME)) : describeUrl(given);
    }

    private static String checkedUrl(JournalSettings settings) {
        String given = settings.url();
        String lower = given.toLowerCase(Locale.ROOT);
        if (!given.isEmpty() && !lower.startsWith("jdbc:postgresql:") && !lower.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("grid.journal.url \"" + display(given) + "\" names a database "
                + "the grid's journal cannot use: give a jdbc:postgresql: (or jdbc:h2:) URL, or leave it empty for the "
                + "local H2 file");
        }
        if (given.isEmpty() && settings.dataDir().toString().contains(";")) {
            throw new IllegalArgumentException("grid.data-dir \"" + settings.dataDir() + "\" holds a ';', which H2 reads "
                + "as the end of the file name: choose another directory");
        }
        return given;
    }

    private static JournalDatabase local(Path dataDir) throws IOException {
        JournalSecret.createDirectory(dataDir);
        String password = JournalSecret.readOrCreate(dataDir.resolve(LOCAL_NAME + ".secret"));
        Path file = dataDir.resolve(LOCAL_NAME);
        // AUTO_SERVER: the first JVM to open the file serves it to the others, and when that JVM
        // dies another takes over. WRITE_DELAY=0: H2 writes a transaction to the file when it
        // commits, not up to 500 ms later, so a kill -9 loses no acknowledged increment.
        String url = "jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
        return new JournalDatabase(url, "grid", password, true, file);
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** The Slick profile for this database, as pekko-persistence-jdbc wants it. */
    String slickProfile() {
        return h2 ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$";
    }

    String driver() {
        return h2 ? "org.h2.Driver" : "org.postgresql.Driver";
    }

    /** True for the local H2 file (whose server must listen on loopback only). */
    boolean isLocal() {
        return localFile != null;
    }

    /** The URL for people: the local file, or the URL without its parameters (they may hold a password). */
    String describe() {
        return isLocal() ? describeLocal(localFile) : describeUrl(url);
    }

    private static String describeLocal(Path file) {
        return "the local journal " + file + ".mv.db";
    }

    private static String describeUrl(String url) {
        return "the journal at " + display(url);
    }

    /**
     * Creates the journal and snapshot tables unless they exist, from the schema that
     * pekko-persistence-jdbc ships, and the owners' tables. Several nodes may do this at once; a
     * loser retries once.
     */
    void createTables() throws SQLException, IOException {
        List<String> statements = schema();
        try (Connection c = connect()) {
            try {
                run(c, statements);
                OwnerLease.createTables(c);
            } catch (SQLException raced) {
                run(c, statements);
                OwnerLease.createTables(c);
            }
        }
    }

    Connection connect() throws SQLException {
        try {
            return DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            String hint = isLocal()
                ? "; if the password was refused, " + localFile + ".secret no longer belongs to this database: restore it, "
                    + "or move the database away to start afresh (its counters are lost)"
                : "; check the URL, and GRID_JOURNAL_USER / GRID_JOURNAL_PASSWORD";
            throw new SQLException(describe() + " did not accept a connection: " + firstLine(e.getMessage()) + hint,
                e.getSQLState(), e.getErrorCode(), e);
        }
    }

    private static void run(Connection c, List<String> statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }

    /** The journal and snapshot DDL of pekko-persistence-jdbc, made safe to run again. */
    private List<String> schema() throws IOException {
        String resource = h2 ? "schema/h2/h2-create-schema.sql" : "schema/postgres/postgres-create-schema.sql";
        String script;
        try (InputStream in = JournalDatabase.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IOException(resource + " is missing: pekko-persistence-jdbc is not on the classpath");
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> statements = new ArrayList<>();
        for (String sql : script.split(";")) {
            String s = sql.strip();
            // Durable state is not used by the grid (and its Postgres indexes cannot be made in a transaction).
            if (s.isEmpty() || s.contains("durable_state") || s.contains("global_offset_seq")) continue;
            statements.add(s.replaceFirst("(?i)^CREATE (UNIQUE )?INDEX (?!IF NOT EXISTS)", "CREATE $1INDEX IF NOT EXISTS "));
        }
        return statements;
    }

    /** The URL without its parameters, which may hold a password. */
    static String display(String url) {
        int cut = url.length();
        for (char c : new char[] {'?', ';'}) {
            int i = url.indexOf(c);
            if (i >= 0) cut = Math.min(cut, i);
        }
        return url.substring(0, cut);
    }

    private static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    @Override
    public String toString() {
        return describe();
    }
}
