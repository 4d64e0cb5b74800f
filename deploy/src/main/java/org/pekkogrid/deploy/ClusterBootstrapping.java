package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * How a head or worker finds the cluster when {@code grid.discovery.method} is not {@code seeds}:
 * Pekko Management's Cluster Bootstrap looks the heads up with pekko-discovery (the Kubernetes API,
 * or a list in the config), asks each head's management endpoint whether it is in a cluster, and
 * joins that one; when no head is in one, the head with the lowest address founds it. Workers
 * never found a cluster ({@code new-cluster-enabled = off}), so a worker that starts first waits
 * for the heads. The management endpoint also serves the health checks that Kubernetes probes.
 */
final class ClusterBootstrapping {

    private static final long MANAGEMENT_START_SECONDS = 20;

    /** How a node finds the cluster. */
    enum Method {
        SEEDS("seeds"),
        KUBERNETES("kubernetes-api"),
        CONFIG("config");

        /** The pekko-discovery method name. */
        final String discovery;

        Method(String discovery) {
            this.discovery = discovery;
        }
    }

    private ClusterBootstrapping() {}

    /** The node's method; bad input names the known ones, and seeds given with a discovery method. */
    static Method method(Config config) {
        String name = config.getString("grid.discovery.method").trim().toLowerCase(Locale.ROOT);
        Method method = switch (name) {
            case "seeds", "" -> Method.SEEDS;
            case "kubernetes", "kubernetes-api" -> Method.KUBERNETES;
            case "config" -> Method.CONFIG;
            default -> throw new IllegalArgumentException("grid.discovery.method (--discovery, GRID_DISCOVERY): unknown \""
                + name + "\"; one of seeds, kubernetes, config");
        };
        if (method != Method.SEEDS && !config.getStringList("grid.seeds").isEmpty()) {
            throw new IllegalArgumentException("--seed (GRID_SEED) and --discovery " + name + " (GRID_DISCOVERY) both say "
                + "how to find the cluster: give one of them");
        }
        if (method != Method.SEEDS && config.getInt("grid.discovery.required-contact-points") < 2) {
            throw new IllegalArgumentException("grid.discovery.required-contact-points must be 2 or more (with 1, two heads "
                + "starting at once could each found a grid of their own), got "
                + config.getInt("grid.discovery.required-contact-points"));
        }
        return method;
    }

    static boolean enabled(Config config) {
        return method(config) != Method.SEEDS;
    }

    /**
     * The Pekko settings of a node that bootstraps, to lay over its config.
     *
     * @param head whether the node is a head: only heads are contact points and may found the cluster
     */
    static Config pekkoSettings(Config config, boolean head) {
        Method method = method(config);
        if (method == Method.KUBERNETES) checkInPod(config);
        Config discovery = config.getConfig("grid.discovery");
        Config management = config.getConfig("grid.management");
        int port = management.getInt("port");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("grid.management.port (GRID_MANAGEMENT_PORT) must be within 0..65535, got "
                + port);
        }
        String bootstrap = "pekko.management.cluster.bootstrap.";
        Map<String, Object> pekko = new HashMap<>();
        pekko.put("pekko.management.http.hostname", management.getString("host"));
        pekko.put("pekko.management.http.port", port);
        if (!management.getString("bind-host").isBlank()) {
            pekko.put("pekko.management.http.bind-hostname", management.getString("bind-host"));
        }
        pekko.put("pekko.discovery.method", method.discovery);
        pekko.put("pekko.discovery.kubernetes-api.pod-label-selector", discovery.getString("pod-label-selector"));
        pekko.put(bootstrap + "contact-point-discovery.service-name", discovery.getString("service-name"));
        pekko.put(bootstrap + "contact-point-discovery.port-name", discovery.getString("port-name"));
        pekko.put(bootstrap + "contact-point-discovery.required-contact-point-nr",
            discovery.getInt("required-contact-points"));
        pekko.put(bootstrap + "contact-point-discovery.stable-margin",
            discovery.getDuration("stable-margin").toMillis() + "ms");
        // Discovery gives each head's management port: keep contact points on any port.
        pekko.put(bootstrap + "contact-point.filter-on-fallback-port", false);
        pekko.put(bootstrap + "new-cluster-enabled", head);
        return ConfigFactory.parseMap(pekko);
    }

    /** Kubernetes discovery asks the API server as the pod's service account: outside a pod, say so at once. */
    private static void checkInPod(Config config) {
        String hostVariable = config.getString("pekko.discovery.kubernetes-api.api-service-host-env-name");
        Path ca = Path.of(config.getString("pekko.discovery.kubernetes-api.api-ca-path"));
        if (System.getenv(hostVariable) == null || !Files.isReadable(ca)) {
            throw new IllegalArgumentException("--discovery kubernetes (GRID_DISCOVERY) finds the heads through the "
                + "Kubernetes API, from inside a pod with a service account: " + (System.getenv(hostVariable) == null
                    ? hostVariable + " is not set" : "no " + ca) + ". Elsewhere give --seed HOST:PORT");
        }
    }

    /**
     * Starts Pekko Management (health checks, the routes bootstrap asks) and Cluster Bootstrap in
     * {@code system}. Both end with the system. A management port that cannot be bound stops the
     * system and throws, naming the port.
     */
    static void start(ActorSystem<?> system) {
        Config config = system.settings().config();
        String where = config.getString("pekko.management.http.hostname") + ":"
            + config.getInt("pekko.management.http.port");
        try {
            PekkoManagement.get(system.classicSystem()).start().toCompletableFuture()
                .get(MANAGEMENT_START_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            system.terminate();
            // A launcher restarting the node binds the same port next: let this system free it first.
            system.getWhenTerminated().toCompletableFuture().completeOnTimeout(null, MANAGEMENT_START_SECONDS,
                TimeUnit.SECONDS).join();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("grid.management: Pekko Management could not listen on " + where + " ("
                + cause.getMessage() + "); pick another port with GRID_MANAGEMENT_PORT (grid.management.port)", cause);
        }
        ClusterBootstrap.get(system.classicSystem()).start();
    }

    /** What the node joins, for log lines. */
    static String joinTarget(Config config) {
        Method method = method(config);
        if (method == Method.SEEDS) {
            return config.getStringList("grid.seeds").isEmpty() ? "itself (no seed)" : config.getStringList("grid.seeds")
                .toString();
        }
        return "the heads that " + method.discovery + " discovery finds as \"" + config.getString(
            "grid.discovery.service-name") + "\"";
    }
}
