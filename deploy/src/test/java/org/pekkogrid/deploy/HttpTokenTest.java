package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** With a token set (GRID_HTTP_TOKEN), the head's API and /metrics answer only callers that present it. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HttpTokenTest {

    private static final String TOKEN = "a-secret-of-the-grid-" + System.nanoTime();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theApiAndMetricsAnswerOnlyCallersWithTheToken() throws Exception {
        Map<String, Object> flags = new HashMap<>();
        flags.put("grid.metrics.enabled", true);
        flags.put("grid.metrics.port", 0);
        flags.put("grid.metrics.token", TOKEN);
        flags.put("grid.http.enabled", true);
        flags.put("grid.http.port", 0);
        flags.put("grid.http.token", TOKEN);
        flags.put("grid.worker.warm-up", "0s");
        try (EmbeddedGrid grid = EmbeddedGrid.start(NodeConfig.load(null, Map.of(), flags), 1, 1)) {
            String api = "http://127.0.0.1:" + grid.head().endpoints().httpPort() + "/v1/cluster";
            String metrics = "http://127.0.0.1:" + grid.head().endpoints().metricsPort() + "/metrics";
            for (String url : List.of(api, metrics)) {
                assertEquals(401, status(url, null), url + " without a token");
                assertEquals(401, status(url, "Bearer not-the-token-at-all"), url + " with another token");
                assertEquals(401, status(url, "Basic " + TOKEN), url + " with the token in another scheme");
                assertEquals(200, status(url, "Bearer " + TOKEN), url + " with the token");
            }
            // The dashboard's page holds no data: it loads for anyone and asks for the token for its ticks.
            String head = "http://127.0.0.1:" + grid.head().endpoints().httpPort();
            HttpResponse<String> dashboard = send(head + "/", null);
            assertEquals(200, dashboard.statusCode());
            assertTrue(dashboard.body().contains("token-form"), dashboard.body());
            assertEquals(200, status(head + "/dashboard/dashboard.js", null));
            assertEquals(401, status(head + "/v1/dashboard/events", null));
            HttpResponse<String> refused = send(api, null);
            assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            assertTrue(refused.body().contains("GRID_HTTP_TOKEN"), refused.body());
        }
    }

    private static int status(String url, String authorization) throws Exception {
        return send(url, authorization).statusCode();
    }

    private static HttpResponse<String> send(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (authorization != null) request.header("Authorization", authorization);
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
