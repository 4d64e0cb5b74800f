package org.pekkogrid.head;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.JobLookup;

/**
 * The head's JSON HTTP API, read-only:
 * <ul>
 *   <li>{@code GET /cluster}: {@code {"members": [...]}}, as {@link ClusterStatus.Member}s;</li>
 *   <li>{@code GET /jobs}: {@code {"jobs": [...]}}, the running jobs and the recently finished ones;</li>
 *   <li>{@code GET /jobs/{id}}: the job's state and progress, and its full report once finished.</li>
 * </ul>
 * Errors are JSON too: {@code {"error": "..."}} with 404, 405 or 503 (the coordinator did not answer).
 */
public final class HttpApi extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTES = "GET /cluster, GET /jobs, GET /jobs/{id}";

    private final ActorSystem<?> system;
    private final ActorRef<CoordinatorCommand> coordinator;
    private final Duration askTimeout;

    public HttpApi(ActorSystem<?> system, ActorRef<CoordinatorCommand> coordinator, Duration askTimeout) {
        this.system = system;
        this.coordinator = coordinator;
        this.askTimeout = askTimeout;
    }

    /** Serves the API on {@code host:port}; it unbinds when the actor system shuts down. */
    public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, ActorRef<CoordinatorCommand> coordinator,
                                                      String host, int port, Duration askTimeout) {
        return Http.get(system).newServerAt(host, port)
            .bind(new HttpApi(system, coordinator, askTimeout).routes())
            .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(5), system));
    }

    public Route routes() {
        return concat(
            path("cluster", () -> readOnly(() -> answer(status(), s -> json(StatusCodes.OK, Map.of("members", s.members()))))),
            path("jobs", () -> readOnly(() -> answer(status(), s -> json(StatusCodes.OK, Map.of("jobs", s.jobs()))))),
            path(PathMatchers.segment("jobs").slash(PathMatchers.segment()), id -> readOnly(() -> answer(job(id), found ->
                found.job().isPresent()
                    ? json(StatusCodes.OK, found.job().get())
                    : error(StatusCodes.NOT_FOUND, "no job \"" + id + "\": the head knows its running jobs and the "
                        + "last finished ones (GET /jobs lists them)")))),
            extractUnmatchedPath(path -> complete(error(StatusCodes.NOT_FOUND,
                "nothing at " + path + "; this API serves " + ROUTES))));
    }

    private Route readOnly(java.util.function.Supplier<Route> route) {
        return concat(get(route), extractMethod(method -> complete(error(StatusCodes.METHOD_NOT_ALLOWED,
            method.name() + " is not served: the API is read-only (" + ROUTES + ")"))));
    }

    private CompletionStage<ClusterStatus> status() {
        return AskPattern.ask(coordinator, CoordinatorCommand.GetStatus::new, askTimeout, system.scheduler());
    }

    private CompletionStage<JobLookup> job(String id) {
        return AskPattern.ask(coordinator, (ActorRef<JobLookup> replyTo) -> new CoordinatorCommand.GetJob(id, replyTo),
            askTimeout, system.scheduler());
    }

    /** The coordinator's answer as a response, or 503 when it did not answer in time. */
    private <T> Route answer(CompletionStage<T> asked, Function<T, HttpResponse> respond) {
        return completeWithFuture(asked.handle((value, failure) -> failure == null ? respond.apply(value)
            : error(StatusCodes.SERVICE_UNAVAILABLE, "the job coordinator did not answer within "
                + askTimeout.toMillis() + " ms (is the cluster up, with a head node?)")));
    }

    private static HttpResponse json(StatusCode status, Object body) {
        try {
            return HttpResponse.create().withStatus(status)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            return HttpResponse.create().withStatus(StatusCodes.INTERNAL_SERVER_ERROR)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                    "{\"error\":\"the answer could not be written as JSON\"}"));
        }
    }

    private static HttpResponse error(StatusCode status, String message) {
        return json(status, Map.of("error", message));
    }
}
