package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every node takes: where it binds, where it joins, which config file it reads. */
final class NodeOptions {

    @Option(names = "--host", paramLabel = "HOST",
        description = "Address to bind and advertise (default 127.0.0.1; use a routable one across hosts).")
    String host;

    @Option(names = "--bind-host", paramLabel = "HOST",
        description = "Interface to bind when it differs from --host (in a container: 0.0.0.0).")
    String bindHost;

    @Option(names = "--port", paramLabel = "PORT", description = "Remoting port (0 picks a free one).")
    Integer port;

    @Option(names = "--seed", paramLabel = "HOST:PORT", split = ",",
        description = "Address of a head node to join; repeat or separate with commas for several.")
    List<String> seeds;

    @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file of settings (see reference.conf).")
    Path configFile;

    @Option(names = {"-v", "--verbose"}, description = "Log at INFO to stderr.")
    boolean verbose;

    @Option(names = "--tls", paramLabel = "NODEDIR",
        description = "Mutual TLS with the certificate in NODEDIR (ca.crt, node.crt, node.key; see grid certs issue).")
    Path tlsDir;

    @Option(names = "--insecure",
        description = "Allow binding a non-loopback address without --tls: anyone who reaches the port is a member.")
    boolean insecure;

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A client of the grid at --seed (or GRID_SEED); bad input when none is given. */
    org.pekkogrid.client.GridClient connect() {
        Config config = load(Map.of());
        if (config.getStringList("grid.seeds").isEmpty()) {
            throw new IllegalArgumentException("say where the grid is: --seed HOST:PORT (or GRID_SEED)");
        }
        return org.pekkogrid.client.GridClient.connect(config);
    }

    /** A client's layered config with these flags on top; {@code extra} holds the command's own flags. */
    Config load(Map<String, Object> extra) {
        return load(TlsRole.CLIENT, extra, Map.of());
    }

    /**
     * As {@link #load(Map)} for a node of {@code role}, over the command's own defaults (below the
     * config file and the environment). With --tls it checks the node's certificate first.
     */
    Config load(TlsRole role, Map<String, Object> extra, Map<String, Object> commandDefaults) {
        Map<String, Object> flags = new HashMap<>(extra);
        // In a container the flags are the image's: GRID_TLS and GRID_INSECURE say the same.
        Path tls = tlsDir != null ? tlsDir : env("GRID_TLS") == null ? null : Path.of(env("GRID_TLS"));
        boolean open = insecure || "on".equalsIgnoreCase(env("GRID_INSECURE")) || "true".equalsIgnoreCase(env("GRID_INSECURE"));
        if (tls != null) {
            TlsFiles files = TlsFiles.in(tls);
            files.check(role, java.time.Instant.now());
            flags.putAll(NodeTls.settings(files, role));
        }
        if (host != null) flags.put("grid.host", host);
        if (bindHost != null) flags.put("grid.bind-host", bindHost);
        if (port != null) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be within 0..65535, got " + port);
            flags.put("grid.port", port);
        }
        if (seeds != null) {
            for (String s : seeds) org.pekkogrid.protocol.GridConfig.seedAddress("grid", s);  // validates host:port
            flags.put("grid.seeds", seeds);
        }
        Path file = configFile;
        if (file == null && System.getenv("GRID_CONFIG") != null) file = Path.of(System.getenv("GRID_CONFIG"));
        Config config = NodeConfig.load(file, System.getenv(), flags, commandDefaults);
        if (role != TlsRole.CLIENT) NodeTls.checkExposure(config, open);
        return config;
    }
}
