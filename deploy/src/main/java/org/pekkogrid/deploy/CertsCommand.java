package org.pekkogrid.deploy;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "certs", mixinStandardHelpOptions = true,
    description = "A grid's certificates for --tls: 'grid certs init DIR' makes the grid's CA, 'grid certs issue' a "
        + "node's key and certificate, with the role (head, worker, client) the node may take.",
    subcommands = {CertsCommand.Init.class, CertsCommand.Issue.class})
final class CertsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create the grid's CA in DIR (ca.crt, and ca.key: keep it off the nodes).")
    static final class Init implements Callable<Integer> {

        @Parameters(paramLabel = "DIR", description = "Directory for ca.crt and ca.key (created).")
        Path dir;

        @Option(names = "--name", paramLabel = "NAME", defaultValue = "pekko-grid CA", description = "The CA's common name.")
        String name;

        @Option(names = "--days", paramLabel = "N", defaultValue = "3650", description = "Validity in days (default 3650).")
        int days;

        @Override
        public Integer call() throws Exception {
            if (days < 1) throw new IllegalArgumentException("--days must be at least 1, got " + days);
            GridCertificates.Authority ca = GridCertificates.init(dir, name, Duration.ofDays(days));
            System.out.println("CA " + ca.certificate().getSubjectX500Principal().getName() + " in " + dir
                + " (ca.crt, ca.key), valid until " + ca.certificate().getNotAfter().toInstant());
            return GridMain.COMPLETED;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
        description = "Issue a node's key and certificate into --out (ca.crt, node.crt, node.key) for --tls.")
    static final class Issue implements Callable<Integer> {

        @Option(names = "--ca", paramLabel = "DIR", required = true, description = "The CA directory of grid certs init.")
        Path caDir;

        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The node's name (its certificate's CN).")
        String name;

        @Option(names = "--role", paramLabel = "ROLE", required = true,
            description = "head, worker or client: the only role the node may take.")
        String role;

        @Option(names = "--ship-code", description = "The certificate also grants shipping code: a client holding it "
            + "may send workload jars (grid submit --jar) to a grid that runs with --tls. Without it, such a grid refuses "
            + "its jars.")
        boolean shipCode;

        @Option(names = "--host", paramLabel = "HOST", description = "A host name or IP address of the node (repeat).")
        List<String> hosts = List.of();

        @Option(names = "--out", paramLabel = "NODEDIR", required = true, description = "Directory to write into (created).")
        Path out;

        @Option(names = "--days", paramLabel = "N", defaultValue = "825", description = "Validity in days (default 825).")
        int days;

        /** Tests issue certificates that expired: valid from this many days ago. */
        @Option(names = "--backdate-days", hidden = true, defaultValue = "0")
        int backdateDays;

        @Override
        public Integer call() throws Exception {
            TlsRole granted = TlsRole.parse(role);
            if (days < 1) throw new IllegalArgumentException("--days must be at least 1, got " + days);
            GridCertificates.Authority ca = GridCertificates.read(caDir);
            Instant from = Instant.now().minus(Duration.ofDays(backdateDays)).minus(Duration.ofMinutes(5));
            X509Certificate cert = GridCertificates.issue(ca, name, granted, shipCode, hosts, out, from,
                Duration.ofDays(days));
            System.out.println(granted.label() + (shipCode ? " certificate (may ship code) " : " certificate ") + cert.getSubjectX500Principal().getName() + " in " + out
                + " (ca.crt, node.crt, node.key), valid until " + cert.getNotAfter().toInstant());
            return GridMain.COMPLETED;
        }
    }
}
