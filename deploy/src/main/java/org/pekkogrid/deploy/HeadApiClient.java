package org.pekkogrid.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.pekkogrid.client.GridUnavailableException;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.JobDetail;

/**
 * Reads a head's JSON HTTP API with plain GETs, so {@code grid status --http HOST:PORT} needs no
 * cluster membership (and no Artery port of its own).
 */
final class HeadApiClient {

    private static final ObjectMapper JSON = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final String host;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param hostPort a head's HTTP API as {@code host:port}, such as {@code 127.0.0.1:8558} */
    HeadApiClient(String hostPort) {
        String s = hostPort.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("--http \"" + hostPort + "\" is not host:port (such as 127.0.0.1:8558)");
        }
        this.host = s.substring(0, colon);
        try {
            this.port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--http \"" + hostPort + "\" has no port number after the colon");
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("--http \"" + hostPort + "\": port must be within 1..65535");
    }

    ClusterStatus status() {
        List<ClusterStatus.Member> members = convert(get("/cluster").body().get("members"), new TypeReference<>() {});
        JsonNode answer = get("/jobs").body();
        List<ClusterStatus.Job> jobs = convert(answer.get("jobs"), new TypeReference<>() {});
        // A head of an earlier release has no queue, and says nothing of it.
        return new ClusterStatus(members, jobs, answer.path("queued").asInt(0));
    }

    /** The job, or empty when the head knows none by that id. */
    Optional<JobDetail> job(String jobId) {
        return job(jobId, true);
    }

    /**
     * The job, or empty when the head knows none by that id; without {@code series} the report's long
     * lists (per-chunk rows, queue, samples) stay on the head (a head of an earlier release sends them anyway).
     */
    Optional<JobDetail> job(String jobId, boolean series) {
        Reply reply = get("/jobs/" + jobId + (series ? "" : "?series=false"));
        return reply.status() == 404 ? Optional.empty() : Optional.of(convert(reply.body(), new TypeReference<>() {}));
    }

    private record Reply(int status, JsonNode body) {}

    private Reply get(String path) {
        URI uri;
        try {
            int q = path.indexOf('?');
            uri = new URI("http", null, host, port, q < 0 ? path : path.substring(0, q), q < 0 ? null : path.substring(q + 1),
                null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make a URL of " + host + ":" + port + path + ": " + e.getMessage());
        }
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json");
            String token = System.getenv("GRID_HTTP_TOKEN");
            if (token != null && !token.isBlank()) request.header("Authorization", "Bearer " + token.strip());
            response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            String why = e instanceof java.net.ConnectException ? "connection refused" : e.toString();
            throw new GridUnavailableException("no head's HTTP API answered at " + uri + " (" + why + "); is `grid head` "
                + "running there with grid.http on?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GridUnavailableException("interrupted while asking " + uri);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new GridUnavailableException(uri + " answered " + response.statusCode() + " with something not JSON; "
                + "is that a pekko-grid head's HTTP API?");
        }
        boolean ok = response.statusCode() == 200 || (response.statusCode() == 404 && path.startsWith("/jobs/"));
        if (!ok || body == null) {
            String error = body != null && body.hasNonNull("error") ? body.get("error").asText() : response.body();
            throw new GridUnavailableException(uri + " answered " + response.statusCode() + ": " + error);
        }
        return new Reply(response.statusCode(), body);
    }

    private static <T> T convert(JsonNode node, TypeReference<T> type) {
        if (node == null) throw new GridUnavailableException("the head's answer lacks a field this client needs; "
            + "is it a pekko-grid head of the same version?");
        return JSON.convertValue(node, type);
    }
}
