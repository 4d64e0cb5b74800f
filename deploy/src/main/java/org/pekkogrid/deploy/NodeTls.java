package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What --tls sets, and the rule that a node reachable from other hosts speaks TLS. */
final class NodeTls {

    private static final Logger LOG = LoggerFactory.getLogger(NodeTls.class);
    private static final String ARTERY = "pekko.remote.artery.";
    private static final String KEYS = ARTERY + "ssl.rotating-keys-engine.";

    private NodeTls() {}

    /** Artery over TLS with the node's PEM files (the rest of rotating-keys-engine is in pekko-grid.conf). */
    static Map<String, Object> settings(TlsFiles files, TlsRole role) {
        Map<String, Object> s = new HashMap<>();
        s.put("grid.tls.role", role.label());
        s.put(ARTERY + "transport", "tls-tcp");
        s.put(ARTERY + "ssl.ssl-engine-provider", GridSslEngineProvider.class.getName());
        s.put(KEYS + "key-file", files.nodeKey().toString());
        s.put(KEYS + "cert-file", files.nodeCert().toString());
        s.put(KEYS + "ca-cert-file", files.caCert().toString());
        return s;
    }

    /**
     * A node that binds a non-loopback address without TLS lets anyone who reaches its port join
     * as a full member: refused unless {@code insecure}, and then said loudly.
     */
    static void checkExposure(Config config, boolean insecure) {
        checkHttpExposure(config, "grid.http", "the HTTP API (jobs submitted, cancelled, reports read)", insecure);
        checkHttpExposure(config, "grid.metrics", "/metrics", insecure);
        if (config.getString(ARTERY + "transport").equals("tls-tcp")) return;
        String host = config.getString("grid.host");
        String bindHost = config.hasPath("grid.bind-host") ? config.getString("grid.bind-host") : "";
        String exposed = !bindHost.isEmpty() ? (isLoopback(bindHost) ? null : bindHost) : (isLoopback(host) ? null : host);
        if (exposed == null) return;
        int port = config.getInt("grid.port");
        String risk = exposed + " without TLS: anyone who reaches port " + (port == 0 ? "(random)" : port)
            + " there joins the grid as a full member";
        if (!insecure) {
            throw new IllegalArgumentException("refusing to bind " + risk + ". Give --tls NODEDIR (make one with grid certs init "
                + "and grid certs issue), or --insecure to run without TLS anyway");
        }
        String warning = "INSECURE (--insecure): binding " + risk + "; use --tls NODEDIR on a network you do not control";
        LOG.warn(warning);
        System.err.println("WARNING: " + warning);
    }

    /**
     * The head's HTTP API and /metrics answer anyone who reaches them unless a bearer token is set
     * (GRID_HTTP_TOKEN): off loopback, that is refused unless {@code insecure}.
     */
    private static void checkHttpExposure(Config config, String path, String what, boolean insecure) {
        if (!config.hasPath(path + ".enabled") || !config.getBoolean(path + ".enabled")) return;
        String host = config.getString(path + ".host");
        boolean token = config.hasPath(path + ".token") && !config.getString(path + ".token").isBlank();
        if (isLoopback(host) || token) return;
        String risk = what + " on " + host + " (" + path + ".host) without a token: anyone who reaches it may use it";
        if (!insecure) {
            throw new IllegalArgumentException("refusing to serve " + risk + ". Set GRID_HTTP_TOKEN (a secret of 16 "
                + "characters or more that callers present as Authorization: Bearer), or give --insecure");
        }
        String warning = "INSECURE (--insecure): serving " + risk;
        LOG.warn(warning);
        System.err.println("WARNING: " + warning);
    }

    static boolean isLoopback(String host) {
        if (host.isEmpty() || host.equals("localhost")) return true;
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
