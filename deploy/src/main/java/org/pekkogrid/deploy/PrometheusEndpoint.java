package org.pekkogrid.deploy;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractMethod;
import static org.apache.pekko.http.javadsl.server.Directives.extractUnmatchedPath;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import com.typesafe.config.ConfigFactory;
import java.net.BindException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kamon.prometheus.PrometheusReporter;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Serves Kamon's Prometheus scrape data at {@code /metrics} with Pekko HTTP, whose timeouts close
 * what slow or half-open clients hold (the JDK's one-thread server they could silence). The JVM's
 * metrics outlive its nodes' actor systems (a downed node restarts its system on the same ports,
 * and an embedded grid's nodes share one endpoint), so the endpoint has a small local actor system
 * of its own. It binds before the node starts, which then advertises the port it got; Kamon's
 * embedded server could not say which port that was.
 */
final class PrometheusEndpoint implements AutoCloseable {

    static final String PATH = "/metrics";
    private static final ContentType.WithCharset CONTENT_TYPE = MediaTypes.TEXT_PLAIN
        .toContentType(org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8);
    private static final long BIND_SECONDS = 20;

    private final ActorSystem<Void> system;
    private final ServerBinding binding;

    private PrometheusEndpoint(ActorSystem<Void> system, ServerBinding binding) {
        this.system = system;
        this.binding = binding;
    }

    static PrometheusEndpoint start(MetricsSettings settings) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "grid-metrics", ConfigFactory.parseMap(Map.of(
                "pekko.actor.provider", "local",
                "pekko.loggers", java.util.List.of("org.apache.pekko.event.slf4j.Slf4jLogger"),
                "pekko.logging-filter", "org.apache.pekko.event.slf4j.Slf4jLoggingFilter",
                "pekko.actor.default-dispatcher.fork-join-executor.parallelism-max", 2,
                // A scrape is one small GET: a client that sends nothing for this long is let go.
                "pekko.http.server.idle-timeout", "10s",
                "pekko.http.server.request-timeout", "5s",
                "pekko.http.server.bind-timeout", "5s",
                // As the nodes' (application.conf): pekko-discovery is on the classpath at 1.2.1.
                "pekko.fail-mixed-versions", "off"))
            .withFallback(ConfigFactory.defaultReference()));
        try {
            ServerBinding binding = PortRange.bindFirstFree("grid.metrics", settings.host(), settings.port(),
                settings.portRange(), address -> bind(system, address.getHostString(), address.getPort(), settings.token()));
            return new PrometheusEndpoint(system, binding);
        } catch (RuntimeException e) {
            system.terminate();
            throw e;
        }
    }

    private static ServerBinding bind(ActorSystem<Void> system, String host, int port,
                                      org.pekkogrid.head.BearerToken token) throws java.io.IOException {
        try {
            return Http.get(system).newServerAt(host, port).bind(token.guard(PrometheusEndpoint::routes))
                .toCompletableFuture().get(BIND_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (causedByBind(e)) throw new BindException(host + ":" + port + " is in use");
            throw new java.io.IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new java.io.IOException("binding " + host + ":" + port + " took more than " + BIND_SECONDS + " s");
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || t.getClass().getSimpleName().equals("BindFailedException")) return true;
        }
        return false;
    }

    private static Route routes() {
        return concat(
            path("metrics", () -> extractMethod(method -> {
                if (!method.equals(HttpMethods.GET) && !method.equals(HttpMethods.HEAD)) {
                    return complete(text(StatusCodes.METHOD_NOT_ALLOWED, method.value() + " is not served; GET " + PATH + "\n"));
                }
                // Empty until Kamon's first tick (grid.metrics.tick-interval) after start.
                scala.Option<String> data = PrometheusReporter.latestScrapeData();
                return complete(text(StatusCodes.OK, data.isDefined() ? data.get() : ""));
            })),
            extractUnmatchedPath(unmatched -> complete(text(StatusCodes.NOT_FOUND,
                "nothing here; metrics are at " + PATH + "\n"))));
    }

    private static HttpResponse text(org.apache.pekko.http.javadsl.model.StatusCode status, String body) {
        return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(CONTENT_TYPE, body));
    }

    int port() {
        return binding.localAddress().getPort();
    }

    String host() {
        return binding.localAddress().getHostString();
    }

    @Override
    public void close() {
        try {
            binding.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the system's end closes it anyway
        }
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
    }
}
