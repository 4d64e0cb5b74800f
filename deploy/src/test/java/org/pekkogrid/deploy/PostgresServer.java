package org.pekkogrid.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for one test: Debian's package (installed by .ci/run), a fresh cluster
 * in a temporary directory, listening on 127.0.0.1 at a free port, run as the {@code postgres}
 * user (initdb refuses root), and stopped with its data removed on {@link #close}. Where the
 * package is missing the test is skipped, saying how to install it.
 */
final class PostgresServer implements AutoCloseable {

    /** The database user the grid connects as (trust authentication on loopback: no password). */
    static final String USER = "grid";

    private final Path bin;
    private final Path dir;
    private final int port;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    static PostgresServer start() throws Exception {
        Path bin = findBin();
        Assumptions.assumeTrue(bin != null, "PostgreSQL is not installed here (apt-get install postgresql): "
            + "the test against a real PostgreSQL server is skipped");
        Path dir = Files.createTempDirectory("grid-postgres-");
        Path data = dir.resolve("data");
        int port = ChildNode.freePort();
        run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        runAsPostgres(bin.resolve("initdb") + " -D " + data + " -U " + USER + " -A trust --no-sync -E UTF8");
        runAsPostgres(bin.resolve("pg_ctl") + " -D " + data + " -w -t 60 -l " + dir.resolve("server.log")
            + " -o \"-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off\" start");
        return new PostgresServer(bin, dir, port);
    }

    /** The JDBC URL of its default database. */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public void close() throws Exception {
        try {
            runAsPostgres(bin.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -m immediate -w stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Path findBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return null;
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                .max(Comparator.naturalOrder()).orElse(null);
        }
    }

    private static void runAsPostgres(String command) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        run(root ? List.of("runuser", "-u", "postgres", "--", "sh", "-c", command) : List.of("sh", "-c", command));
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
