package org.pekkogrid.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import kamon.prometheus.PrometheusReporter;

/**
 * Serves Kamon's Prometheus scrape data at {@code /metrics}. The grid serves it itself, not with
 * Kamon's embedded server, because that one cannot say which port it bound: here a node binds
 * first (port 0 or the next free port of a range) and then advertises the port it got.
 */
final class PrometheusEndpoint implements AutoCloseable {

    static final String PATH = "/metrics";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private PrometheusEndpoint(HttpServer server) {
        this.server = server;
    }

    static PrometheusEndpoint start(MetricsSettings settings) {
        HttpServer server = PortRange.bindFirstFree("grid.metrics", settings.host(), settings.port(),
            settings.portRange(), address -> HttpServer.create(address, 0));
        server.createContext("/", PrometheusEndpoint::handle);
        server.start();
        return new PrometheusEndpoint(server);
    }

    int port() {
        return server.getAddress().getPort();
    }

    String host() {
        return server.getAddress().getHostString();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                reply(exchange, 404, "nothing here; metrics are at " + PATH + "\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                reply(exchange, 405, method + " is not served; GET " + PATH + "\n");
            } else {
                // Empty until Kamon's first tick (grid.metrics.tick-interval) after start.
                scala.Option<String> data = PrometheusReporter.latestScrapeData();
                reply(exchange, 200, data.isDefined() ? data.get() : "");
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
