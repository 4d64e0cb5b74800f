package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.protocol.Roles;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * Two heads and a worker in this JVM on loopback, with no seed nodes: they find each other through
 * Cluster Bootstrap, the heads listed by pekko-discovery's config method, as Kubernetes would list
 * the head pods. The worker starts first and waits, since only heads found a cluster.
 */
class ClusterBootstrapTest {

    private static final Duration FORMED_WITHIN = Duration.ofSeconds(25);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final List<ActorSystem<Void>> systems = new ArrayList<>();
    private static int[] headManagementPorts;
    private static int workerManagementPort;
    private static int workerReadyBeforeHeads;
    private static GridNodes.Head firstHead;
    private static GridNodes.Head secondHead;

    @BeforeAll
    static void startWorkerThenHeads() throws Exception {
        headManagementPorts = new int[] {ChildNode.freePort(), ChildNode.freePort()};
        workerManagementPort = ChildNode.freePort();
        GridNodes.Worker worker = GridNodes.startWorker(config(workerManagementPort,
            Map.of("grid.worker.cores", 2)));
        systems.add(worker.system());
        workerReadyBeforeHeads = status(workerManagementPort, "/ready");
        // The second head in discovery's list starts first: which one founds is the address's doing.
        secondHead = GridNodes.startHead(config(headManagementPorts[1], Map.of()));
        systems.add(secondHead.system());
        firstHead = GridNodes.startHead(config(headManagementPorts[0], Map.of()));
        systems.add(firstHead.system());
        long seconds = FORMED_WITHIN.toSeconds();
        firstHead.up().get(seconds, TimeUnit.SECONDS);
        secondHead.up().get(seconds, TimeUnit.SECONDS);
        worker.ready().get(seconds, TimeUnit.SECONDS);
    }

    /** A node that finds the heads at these management ports; no seeds. */
    private static Config config(int managementPort, Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>(overrides);
        values.put("grid.discovery.method", "config");
        values.put("grid.discovery.stable-margin", "1s");
        values.put("grid.management.port", managementPort);
        List<Map<String, Object>> endpoints = new ArrayList<>();
        for (int port : headManagementPorts) endpoints.add(Map.of("host", "127.0.0.1", "port", port));
        values.put("pekko.discovery.config.services.grid-head.endpoints", endpoints);
        return LoopbackGrid.config(values);
    }

    /** The worker first, so that its slots hand off to a coordinator that is still there; then the heads. */
    @AfterAll
    static void stop() {
        for (ActorSystem<Void> system : systems) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().completeOnTimeout(null, 15, TimeUnit.SECONDS).join();
        }
    }

    @Test
    void twoHeadsAndAWorkerFormOneClusterWithNoSeeds() {
        for (ActorSystem<Void> system : systems) {
            assertTrue(system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty(), "no seed nodes configured");
        }
        awaitMembers(firstHead.system(), 3);
        awaitMembers(secondHead.system(), 3);
    }

    @Test
    void theHeadWithTheLowestContactPointFoundedTheCluster() {
        // LowestAddressJoinDecider: of the heads found, the lowest host:port of management joins itself.
        int lowest = headManagementPorts[0] < headManagementPorts[1] ? 0 : 1;
        ActorSystem<Void> founder = (lowest == 0 ? firstHead : secondHead).system();
        List<Member> members = awaitMembers(founder, 3);
        Member oldest = members.stream().min(Member.ageOrdering()).orElseThrow();
        assertEquals(founder.address(), oldest.address());
        assertTrue(oldest.getRoles().contains(Roles.HEAD), "the oldest member is a head: " + oldest);
    }

    @Test
    void healthChecksFollowMembership() throws Exception {
        // Pekko Management answers a failed check with 500; a probe fails on any status from 400.
        assertEquals(500, workerReadyBeforeHeads, "a worker with no cluster yet is not ready");
        for (int port : new int[] {headManagementPorts[0], headManagementPorts[1], workerManagementPort}) {
            assertEquals(200, status(port, "/ready"), "ready on management port " + port);
            assertEquals(200, status(port, "/alive"), "alive on management port " + port);
        }
    }

    @Test
    void managementCannotChangeTheCluster() throws Exception {
        String worker = systems.get(0).address().toString();
        for (String method : new String[] {"DELETE", "PUT"}) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + headManagementPorts[0]
                    + "/cluster/members/" + worker))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString("operation=Down"))
                .timeout(Duration.ofSeconds(5)).build();
            int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            assertTrue(status >= 400, method + " /cluster/members/... is refused, not " + status);
        }
        assertEquals(200, status(headManagementPorts[0], "/cluster/members"), "reading the members is allowed");
        awaitMembers(firstHead.system(), 3);
    }

    @Test
    void theClusterRunsAJobOnTheWorker() throws Exception {
        GridClient client = GridClient.attach(firstHead.system(), firstHead.coordinator());
        JobResult result = client.run(JobSpec.of("leibniz-pi").param("terms", 2_000_000).withChunks(8));
        assertEquals(JobResult.Status.COMPLETED, result.status(), () -> "leibniz-pi: " + result.error());
        assertEquals(LeibnizPi.expected(2_000_000), result.result().asDouble(), 1e-12);
    }

    @Test
    void seedsAndDiscoveryTogetherAreRefused() {
        Config both = ConfigFactory.parseMap(Map.of("grid.seeds", List.of("127.0.0.1:2551")))
            .withFallback(config(0, Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GridNodes.startWorker(both));
        assertTrue(e.getMessage().contains("give one of them"), e.getMessage());
        Config unknown = ConfigFactory.parseMap(Map.of("grid.discovery.method", "dns"))
            .withFallback(config(0, Map.of()));
        e = assertThrows(IllegalArgumentException.class, () -> ClusterBootstrapping.method(unknown));
        assertTrue(e.getMessage().contains("one of seeds, kubernetes, config"), e.getMessage());
    }

    private static int status(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The Up members this node sees, once there are {@code count}. */
    private static List<Member> awaitMembers(ActorSystem<Void> system, int count) {
        long deadline = System.nanoTime() + FORMED_WITHIN.toNanos();
        List<Member> up = List.of();
        while (System.nanoTime() < deadline) {
            up = StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
                .filter(m -> m.status() == MemberStatus.up()).toList();
            if (up.size() == count) return up;
            java.util.concurrent.CompletableFuture.runAsync(() -> { },
                java.util.concurrent.CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)).join();
        }
        throw new AssertionError(system.address() + " sees " + up.size() + " Up members, not " + count + ": " + up);
    }
}
