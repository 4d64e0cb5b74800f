package org.pekkogrid.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a node serves people and tools: its Prometheus endpoint and (a head) its JSON HTTP API.
 * Like {@link NodeCapacity} it travels as cluster roles ({@code grid-metrics-9095},
 * {@code grid-http-8558}), so {@code grid status} shows every node's ports with no extra protocol.
 *
 * @param metricsPort port of the node's {@code /metrics}; 0 when the node has no metrics
 * @param httpPort    port of the head's JSON API; 0 when the node serves none
 */
public record NodeEndpoints(int metricsPort, int httpPort) {

    public static final NodeEndpoints NONE = new NodeEndpoints(0, 0);

    private static final String METRICS = "grid-metrics-";
    private static final String HTTP = "grid-http-";

    public NodeEndpoints {
        checkPort("metricsPort", metricsPort);
        checkPort("httpPort", httpPort);
    }

    public List<String> toRoles() {
        List<String> roles = new ArrayList<>();
        if (metricsPort > 0) roles.add(METRICS + metricsPort);
        if (httpPort > 0) roles.add(HTTP + httpPort);
        return roles;
    }

    /** The endpoints a member advertises; ports it does not advertise (or garbles) are 0. */
    public static NodeEndpoints fromRoles(Set<String> roles) {
        int metrics = 0;
        int http = 0;
        for (String role : roles) {
            if (role.startsWith(METRICS)) metrics = port(role.substring(METRICS.length()));
            else if (role.startsWith(HTTP)) http = port(role.substring(HTTP.length()));
        }
        return new NodeEndpoints(metrics, http);
    }

    private static int port(String digits) {
        try {
            int port = Integer.parseInt(digits);
            return port >= 1 && port <= 65535 ? port : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException(name + " must be within 0..65535, got " + port);
    }
}
