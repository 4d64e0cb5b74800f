package org.pekkogrid.head;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.JobDetail;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobLookup;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.protocol.ReportParts;

/**
 * The head's JSON HTTP API, version 1: any language can run jobs on the grid with plain HTTP.
 * <ul>
 *   <li>{@code POST /v1/jobs}: submit a job ({@link JobRequest}); 201 with its id and where its
 *       events are, 400 when it is rejected. An {@code Idempotency-Key} header makes a retried POST
 *       return the job the first one started;</li>
 *   <li>{@code GET /v1/jobs/{id}}: the job's state and progress, its result and full report once finished;</li>
 *   <li>{@code GET /v1/jobs/{id}/events}: its events as server-sent events ({@link JobEventStream});</li>
 *   <li>{@code DELETE /v1/jobs/{id}}: cancel it; it ends CANCELLED;</li>
 *   <li>{@code GET /v1/jobs}, {@code GET /v1/cluster}: the jobs recently finished, running and queued (the
 *       first {@code grid.head.queued-jobs-listed}, with {@code queued} counting them all), the members.</li>
 *   <li>{@code GET /} and {@code GET /v1/dashboard/events}: the live web dashboard ({@link Dashboard}).</li>
 * </ul>
 * The unversioned {@code GET /cluster}, {@code /jobs} and {@code /jobs/{id}} of earlier releases
 * answer as their {@code /v1} twins. Errors are JSON too: {@code {"error": "..."}}. Jobs submitted
 * here run whoever watches them: closing the HTTP connection cancels nothing.
 */
public final class HttpApi extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTES = "POST /v1/jobs, GET /v1/jobs, GET|DELETE /v1/jobs/{id}, "
        + "GET /v1/jobs/{id}/events, GET /v1/cluster, GET /v1/dashboard/events, and the dashboard page at /";
    private static final AtomicLong SUBMISSIONS = new AtomicLong();

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
        return bind(system, coordinator, host, port, askTimeout, BearerToken.NONE);
    }

    /** As above, for callers that present {@code token} only. */
    public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, ActorRef<CoordinatorCommand> coordinator,
                                                      String host, int port, Duration askTimeout, BearerToken token) {
        HttpApi api = new HttpApi(system, coordinator, askTimeout);
        Dashboard dashboard = Dashboard.start(system, coordinator, askTimeout);
        return Http.get(system).newServerAt(host, port)
            .bind(api.concat(dashboard.page(), token.guard(() -> api.concat(dashboard.events(), api.routes()))))
            .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(5), system));
    }

    public Route routes() {
        return concat(
            pathPrefix("v1", () -> concat(
                path("cluster", () -> only("GET", this::cluster)),
                path("jobs", () -> concat(get(this::jobs), post(this::submit), notServed())),
                path(PathMatchers.segment("jobs").slash(PathMatchers.segment()), id -> concat(
                    get(() -> job(id)), delete(() -> cancel(id)), notServed())),
                path(PathMatchers.segment("jobs").slash(PathMatchers.segment()).slash("events"), id ->
                    only("GET", () -> events(id))))),
            path("cluster", () -> only("GET", this::cluster)),
            path("jobs", () -> only("GET", this::jobs)),
            path(PathMatchers.segment("jobs").slash(PathMatchers.segment()), id -> only("GET", () -> job(id))),
            extractUnmatchedPath(path -> complete(error(StatusCodes.NOT_FOUND,
                "nothing at " + path + "; this API serves " + ROUTES))));
    }

    // ---- routes

    private Route cluster() {
        return answer(status(), s -> json(StatusCodes.OK, Map.of("members", s.members())));
    }

    private Route jobs() {
        return answer(status(), s -> json(StatusCodes.OK, Map.of("jobs", s.jobs(), "queued", s.queuedJobs())));
    }

    /** {@code ?series=false} leaves out the report's long lists (per-chunk rows, queue, samples): a summary. */
    private Route job(String id) {
        return parameterOptional("series", series -> {
            boolean withSeries = series.map(v -> !v.equals("false")).orElse(true);
            return answer(lookup(id), found -> found.job().isEmpty() ? unknownJob(id)
                : jsonStreamed(withSeries || found.job().get().report() == null ? found.job().get()
                    : found.job().get().withReport(found.job().get().report().withoutSeries(), false)));
        });
    }

    /**
     * 200 with {@code body} as JSON written into the response as it goes out: a job's report can
     * weigh megabytes, and a thousand callers must not each hold a copy of it as bytes.
     */
    private HttpResponse jsonStreamed(Object body) {
        java.util.concurrent.Executor blocking = system.dispatchers()
            .lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking());
        org.apache.pekko.stream.javadsl.Source<org.apache.pekko.util.ByteString, org.apache.pekko.NotUsed> bytes =
            org.apache.pekko.stream.javadsl.StreamConverters.asOutputStream().mapMaterializedValue(out -> {
                java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try (out) {
                        JSON.writeValue(out, body);
                    } catch (java.io.IOException e) {
                        // the caller went away, or was too slow for the stream's write timeout
                    }
                }, blocking);
                return org.apache.pekko.NotUsed.getInstance();
            });
        return HttpResponse.create().withStatus(StatusCodes.OK)
            .withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, bytes));
    }

    private Route submit() {
        return optionalHeaderValueByName("Idempotency-Key", key -> entity(Unmarshaller.entityToString(), body -> {
            JobSpec spec;
            try {
                spec = JobRequest.parse(body);
            } catch (IllegalArgumentException e) {
                return complete(error(StatusCodes.BAD_REQUEST, e.getMessage()));
            }
            if (key.isPresent() && (key.get().isBlank() || key.get().length() > 128)) {
                return complete(error(StatusCodes.BAD_REQUEST, "Idempotency-Key must be 1 to 128 characters"));
            }
            // Keys of HTTP clients live beside the submission ids of grid clients: keep them apart.
            String submissionId = key.map(k -> "http:" + k).orElse(null);
            CompletableFuture<JobEvent> answer = new CompletableFuture<>();
            ActorRef<JobEvent> listener = system.systemActorOf(HttpSubmission.create(answer),
                "http-job-" + SUBMISSIONS.incrementAndGet(), Props.empty());
            coordinator.tell(new CoordinatorCommand.SubmitJob(spec, listener, submissionId, null));
            return answer(answer.orTimeout(askTimeout.toMillis(), TimeUnit.MILLISECONDS), this::submitted);
        }));
    }

    private HttpResponse submitted(JobEvent event) {
        if (event instanceof JobEvent.Accepted a) {
            ObjectNode o = JSON.createObjectNode();
            o.put("job", a.jobId());
            o.put("workload", a.workload());
            o.put("chunks", a.chunks());
            // A job that waits in the head's queue has no runner yet.
            o.put("state", a.runner() == null ? "QUEUED" : "RUNNING");
            o.put("self", "/v1/jobs/" + a.jobId());
            o.put("events", "/v1/jobs/" + a.jobId() + "/events");
            return json(StatusCodes.CREATED, o).addHeader(Location.create("/v1/jobs/" + a.jobId()));
        }
        if (event instanceof JobEvent.Rejected r) return error(StatusCodes.BAD_REQUEST, r.reason());
        // The Idempotency-Key of a job that already ended: say how it ended.
        return json(StatusCodes.OK, JobEventStream.json(event, new ReportParts()));
    }

    private Route cancel(String id) {
        return onSuccess(lookup(id).exceptionally(e -> null), found -> {
            if (found == null) return complete(coordinatorSilent());
            if (found.job().isEmpty()) return complete(unknownJob(id));
            JobDetail job = found.job().get();
            if (!job.state().equals("RUNNING") && !job.state().equals("QUEUED")) {
                return complete(error(StatusCodes.CONFLICT, "job \"" + id + "\" already ended " + job.state()));
            }
            // Jobs submitted over HTTP or detached may be cancelled by anyone who reaches the API.
            return answer(AskPattern.ask(coordinator, (ActorRef<CoordinatorCommand.CancelAnswer> replyTo) ->
                    new CoordinatorCommand.CancelJob(id, "asked by DELETE /v1/jobs/" + id, null, replyTo),
                    askTimeout, system.scheduler()),
                answer -> answer.cancelling() ? json(StatusCodes.ACCEPTED, Map.of("job", id, "state", "CANCELLING"))
                    // Submitted by a client of the cluster port: only that client may cancel it.
                    : error(answer.reason().startsWith("only the client") ? StatusCodes.FORBIDDEN : StatusCodes.CONFLICT,
                        answer.reason()));
        });
    }

    private Route events(String id) {
        // Asked first so that an unknown job is a 404, not a stream holding one event.
        return onSuccess(lookup(id).exceptionally(e -> null), found -> {
            if (found == null) return complete(coordinatorSilent());
            if (found.job().isEmpty()) return complete(unknownJob(id));
            return completeOK(JobEventStream.follow(system, coordinator, id), EventStreamMarshalling.toEventStream());
        });
    }

    // ---- asking the coordinator

    private CompletionStage<ClusterStatus> status() {
        return AskPattern.ask(coordinator, CoordinatorCommand.GetStatus::new, askTimeout, system.scheduler());
    }

    private CompletionStage<JobLookup> lookup(String id) {
        return AskPattern.ask(coordinator, (ActorRef<JobLookup> replyTo) -> new CoordinatorCommand.GetJob(id, replyTo),
            askTimeout, system.scheduler());
    }

    /** The coordinator's answer as a response, or 503 when it did not answer in time. */
    private <T> Route answer(CompletionStage<T> asked, Function<T, HttpResponse> respond) {
        return completeWithFuture(asked.handle((value, failure) -> failure == null ? respond.apply(value)
            : coordinatorSilent()));
    }

    private HttpResponse coordinatorSilent() {
        return error(StatusCodes.SERVICE_UNAVAILABLE, "the job coordinator did not answer within "
            + askTimeout.toMillis() + " ms (is the cluster up, with a head node?)");
    }

    private static HttpResponse unknownJob(String id) {
        return error(StatusCodes.NOT_FOUND, "no job \"" + id + "\": the head knows its queued and running jobs and the "
            + "last finished ones (GET /v1/jobs lists them)");
    }

    private Route only(String method, Supplier<Route> route) {
        return concat(method(HttpMethods.lookup(method).orElseThrow(), route), notServed());
    }

    private Route notServed() {
        return extractMethod(method -> extractUnmatchedPath(rest -> extractUri(uri -> complete(error(
            StatusCodes.METHOD_NOT_ALLOWED, method.name() + " " + uri.path() + " is not served; this API serves "
                + ROUTES)))));
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
