package org.pekkogrid.protocol;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns pekko-grid's own settings ({@code grid.host}, {@code grid.port}, {@code grid.seeds})
 * and a node's roles into the Pekko settings a node starts with. Every kind of node, clients
 * included, goes through here, so they all bind and join the same way.
 */
public final class GridConfig {

    private GridConfig() {}

    /**
     * Defaults of a pekko-grid node: system properties over application.conf over
     * {@code pekko-grid.conf} over every reference.conf.
     */
    public static Config defaults() {
        return ConfigFactory.load(ConfigFactory.defaultApplication()
            .withFallback(ConfigFactory.parseResources(GridConfig.class.getClassLoader(), "pekko-grid.conf")));
    }

    /**
     * @param config the layered config (flags, environment, file, defaults), unresolved Pekko keys included
     * @param roles  the node's cluster roles
     */
    public static Config forNode(Config config, List<String> roles) {
        Config grid = config.getConfig("grid");
        String system = grid.getString("system-name");
        Map<String, Object> pekko = remoting(grid);
        List<String> seeds = new ArrayList<>();
        for (String seed : grid.getStringList("seeds")) seeds.add(seedAddress(system, seed));
        pekko.put("pekko.cluster.seed-nodes", seeds);
        if (!seeds.isEmpty() && grid.hasPath("join-timeout")) {
            pekko.put("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes", grid.getString("join-timeout"));
        }
        pekko.put("pekko.cluster.roles", roles);
        pekko.put("pekko.actor.provider", "cluster");
        return ConfigFactory.parseMap(pekko).withFallback(config).resolve();
    }

    /**
     * Settings of a client: remoting only, never a cluster member, so a crowd of short-lived
     * clients cannot disturb the cluster's membership or its downing decisions. It binds and
     * advertises {@code grid.host}: the heads send a job's events to that address.
     */
    public static Config forClient(Config config) {
        Map<String, Object> pekko = remoting(config.getConfig("grid"));
        pekko.put("pekko.actor.provider", "remote");
        // Pekko warns that plain remoting is a low-level layer; for a client that is the point.
        pekko.put("pekko.remote.warn-about-direct-use", "off");
        // Remoting's flight-recorder events serve a node's diagnostics; a command-line client
        // would only pay for loading them (about a tenth of its start-up).
        pekko.put("pekko.java-flight-recorder.enabled", "off");
        return ConfigFactory.parseMap(pekko).withFallback(config).resolve();
    }

    /** The client's actor system name. */
    public static String clientSystemName(Config config) {
        return config.getString("grid.system-name") + "-client";
    }

    private static Map<String, Object> remoting(Config grid) {
        Map<String, Object> pekko = new HashMap<>();
        pekko.put("pekko.remote.artery.canonical.hostname", grid.getString("host"));
        pekko.put("pekko.remote.artery.canonical.port", grid.getInt("port"));
        String bindHost = grid.hasPath("bind-host") ? grid.getString("bind-host") : "";
        if (!bindHost.isEmpty()) pekko.put("pekko.remote.artery.bind.hostname", bindHost);
        return pekko;
    }

    /** {@code host:port} as the actor system address Pekko joins. */
    public static String seedAddress(String system, String hostPort) {
        String s = hostPort.trim();
        if (s.startsWith("pekko://")) return s;
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("seed \"" + hostPort + "\" is not host:port (such as 127.0.0.1:2551)");
        }
        String host = s.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed \"" + hostPort + "\" has no port number after the colon");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("seed \"" + hostPort + "\": port must be within 1..65535");
        }
        return "pekko://" + system + "@" + host + ":" + port;
    }
}
