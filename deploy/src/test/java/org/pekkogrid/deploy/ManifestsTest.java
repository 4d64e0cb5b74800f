package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.head.KamonHeadMetrics;

/**
 * The Kubernetes manifests and the compose file, read as YAML and held to what the grid's own
 * configuration and the README say: no cluster runs them here, so this is what checks them.
 */
class ManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path DEPLOY = Path.of("").toAbsolutePath();

    private static List<JsonNode> grid;
    private static List<JsonNode> autoscaling;
    private static JsonNode compose;

    @BeforeAll
    static void read() throws IOException {
        grid = documents(DEPLOY.resolve("kubernetes/grid.yaml"));
        autoscaling = documents(DEPLOY.resolve("kubernetes/autoscaling.yaml"));
        compose = YAML.readTree(DEPLOY.resolve("docker/compose.yaml").toFile());
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) docs.add(doc);
            }
        }
        for (JsonNode doc : docs) {
            assertFalse(doc.path("apiVersion").asText().isEmpty(), () -> file + ": a document without apiVersion: " + doc);
            assertFalse(doc.path("metadata").path("name").asText().isEmpty(), () -> file + ": a document without a name");
        }
        return docs;
    }

    private static JsonNode object(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.path("metadata").path("name").asText().equals(name))
            .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static JsonNode heads() {
        return object(grid, "StatefulSet", "grid-head");
    }

    private static JsonNode workers() {
        return object(grid, "Deployment", "grid-worker");
    }

    private static JsonNode container(JsonNode workload) {
        JsonNode containers = workload.path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size(), "one container per pod");
        return containers.get(0);
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new HashMap<>();
        node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static Map<String, String> podLabels(JsonNode workload) {
        return labels(workload.path("spec").path("template").path("metadata").path("labels"));
    }

    private static boolean selects(JsonNode matchLabels, Map<String, String> podLabels) {
        Map<String, String> wanted = labels(matchLabels);
        return !wanted.isEmpty() && podLabels.entrySet().containsAll(wanted.entrySet());
    }

    /** The container's env given as plain values; values taken from the pod (valueFrom) left out. */
    private static Map<String, String> plainEnv(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : container.path("env")) if (e.has("value")) env.put(e.path("name").asText(), e.path("value").asText());
        return env;
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) if (e.path("name").asText().equals(name)) return e;
        throw new AssertionError(container.path("name").asText() + " has no env " + name);
    }

    /** The node's config from the container's env, as the launcher layers it (flags none, no file). */
    private static Config nodeConfig(JsonNode container, Map<String, Object> commandDefaults) {
        return NodeConfig.load(null, plainEnv(container), Map.of(), commandDefaults);
    }

    private static Set<Integer> containerPorts(JsonNode container) {
        Set<Integer> ports = new TreeSet<>();
        for (JsonNode p : container.path("ports")) ports.add(p.path("containerPort").asInt());
        return ports;
    }

    private static int namedPort(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) if (p.path("name").asText().equals(name)) return p.path("containerPort").asInt();
        throw new AssertionError(container.path("name").asText() + " has no port named " + name);
    }

    @Test
    void threeHeadsStartTogether() {
        int replicas = heads().path("spec").path("replicas").asInt();
        assertEquals(3, replicas);
        assertEquals(1, replicas % 2, "an odd number of heads");
        // OrderedReady would wait for head 0 to be ready, which needs a second head found first.
        assertEquals("Parallel", heads().path("spec").path("podManagementPolicy").asText());
        assertTrue(selects(heads().path("spec").path("selector").path("matchLabels"), podLabels(heads())));
    }

    @Test
    void theDisruptionBudgetSelectsTheHeadsOnly() {
        JsonNode pdb = object(grid, "PodDisruptionBudget", "grid-head");
        JsonNode selector = pdb.path("spec").path("selector").path("matchLabels");
        assertTrue(selects(selector, podLabels(heads())), "the PDB selects the head pods");
        assertFalse(selects(selector, podLabels(workers())), "and not the workers");
        // The split brain resolver survives losing one node at a time, not two.
        assertEquals(1, pdb.path("spec").path("maxUnavailable").asInt());
    }

    @Test
    void everyObjectRunsTheSameTaggedImage() throws IOException {
        String version = projectVersion();
        String expected = "pekko-grid:" + version;
        List<String> images = new ArrayList<>();
        for (JsonNode doc : grid) {
            for (JsonNode c : doc.path("spec").path("template").path("spec").path("containers")) {
                images.add(c.path("image").asText());
            }
        }
        compose.path("services").forEach(s -> images.add(s.path("image").asText()));
        assertTrue(images.size() >= 6, "heads, workers and compose's four services: " + images);
        for (String image : images) {
            int colon = image.lastIndexOf(':');
            assertTrue(colon > 0, "image " + image + " has a tag");
            assertFalse(image.substring(colon + 1).equals("latest"), "image " + image + " is not :latest");
            assertEquals(expected, image, "every object runs the project's version");
        }
        String dockerfile = Files.readString(DEPLOY.resolve("docker/Dockerfile"));
        assertTrue(dockerfile.contains("-t " + expected + " "), "the Dockerfile builds the tag the manifests run");
    }

    @Test
    void probesAskManagementForHealth() {
        for (JsonNode workload : List.of(heads(), workers())) {
            JsonNode c = container(workload);
            Config config = nodeConfig(c, workload == heads() ? HeadCommand.DEFAULTS : WorkerCommand.DEFAULTS);
            assertEquals(ClusterBootstrapping.Method.KUBERNETES, ClusterBootstrapping.method(config));
            String portName = config.getString("grid.discovery.port-name");
            assertEquals(config.getInt("grid.management.port"), namedPort(c, portName),
                "the container port discovery asks for is where management listens");
            assertEquals("/ready", c.path("readinessProbe").path("httpGet").path("path").asText());
            assertEquals("/alive", c.path("livenessProbe").path("httpGet").path("path").asText());
            assertEquals("/alive", c.path("startupProbe").path("httpGet").path("path").asText());
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                assertEquals(portName, c.path(probe).path("httpGet").path("port").asText(), probe + " on management");
            }
            // Management must bind the pod IP: the kubelet probes it, and discovery lists it.
            assertEquals("status.podIP", env(c, "POD_IP").path("valueFrom").path("fieldRef").path("fieldPath").asText());
            assertEquals("$(POD_IP)", env(c, "GRID_MANAGEMENT_HOST").path("value").asText());
        }
    }

    @Test
    void bootstrapFindsTheHeadPodsWithRightsToListThem() {
        Config config = nodeConfig(container(workers()), WorkerCommand.DEFAULTS);
        Map<String, String> selector = new HashMap<>();
        for (String pair : config.getString("grid.discovery.pod-label-selector").split(",")) {
            String[] kv = pair.split("=", 2);
            selector.put(kv[0].trim(), kv[1].trim());
        }
        assertTrue(podLabels(heads()).entrySet().containsAll(selector.entrySet()), "the selector finds the head pods");
        assertFalse(podLabels(workers()).entrySet().containsAll(selector.entrySet()), "and not the workers");
        JsonNode binding = object(grid, "RoleBinding", "grid-pod-reader");
        String account = binding.path("subjects").get(0).path("name").asText();
        for (JsonNode workload : List.of(heads(), workers())) {
            assertEquals(account, workload.path("spec").path("template").path("spec").path("serviceAccountName").asText());
        }
        JsonNode role = object(grid, "Role", binding.path("roleRef").path("name").asText());
        JsonNode rule = role.path("rules").get(0);
        assertEquals("pods", rule.path("resources").get(0).asText());
        Set<String> verbs = new TreeSet<>();
        rule.path("verbs").forEach(v -> verbs.add(v.asText()));
        assertTrue(verbs.contains("list"), "discovery lists pods: " + verbs);
        assertFalse(verbs.contains("create") || verbs.contains("delete") || verbs.contains("update"), "read-only: " + verbs);
    }

    @Test
    void workerSlotsComeFromTheCpuRequest() {
        JsonNode c = container(workers());
        JsonNode ref = env(c, "GRID_CORES").path("valueFrom").path("resourceFieldRef");
        assertEquals("requests.cpu", ref.path("resource").asText());
        assertEquals(c.path("name").asText(), ref.path("containerName").asText());
        assertEquals("1", ref.path("divisor").asText(), "whole cores");
        String cpu = c.path("resources").path("requests").path("cpu").asText();
        assertTrue(cpu.matches("[1-9][0-9]*"), "a whole number of cores, so the slots are what was asked: " + cpu);
    }

    @Test
    void networkPoliciesOpenTheConfiguredPortsOnly() {
        JsonNode head = container(heads());
        Config headConfig = nodeConfig(head, HeadCommand.DEFAULTS);
        Set<Integer> headPorts = new TreeSet<>(List.of(headConfig.getInt("grid.port"),
            headConfig.getInt("grid.management.port"), headConfig.getInt("grid.metrics.port"),
            headConfig.getInt("grid.http.port")));
        assertEquals(headPorts, containerPorts(head), "the head's container ports are its configured ones");
        assertEquals(headPorts, policyPorts(object(grid, "NetworkPolicy", "grid-head"), podLabels(heads())));

        JsonNode worker = container(workers());
        Config workerConfig = nodeConfig(worker, WorkerCommand.DEFAULTS);
        Set<Integer> workerPorts = new TreeSet<>(List.of(workerConfig.getInt("grid.port"),
            workerConfig.getInt("grid.management.port"), workerConfig.getInt("grid.metrics.port")));
        assertEquals(workerPorts, containerPorts(worker));
        assertEquals(workerPorts, policyPorts(object(grid, "NetworkPolicy", "grid-worker"), podLabels(workers())));
    }

    /**
     * The ports a policy opens, checked against the README's claims: Artery, management and the
     * API only from the grid's pods; /metrics only from the monitoring namespace.
     */
    private static Set<Integer> policyPorts(JsonNode policy, Map<String, String> pods) {
        assertTrue(selects(policy.path("spec").path("podSelector").path("matchLabels"), pods), "the policy selects its pods");
        Set<Integer> ports = new TreeSet<>();
        for (JsonNode rule : policy.path("spec").path("ingress")) {
            assertEquals(1, rule.path("from").size(), "one source per rule");
            JsonNode from = rule.path("from").get(0);
            Set<Integer> rulePorts = new TreeSet<>();
            rule.path("ports").forEach(p -> rulePorts.add(p.path("port").asInt()));
            if (from.has("namespaceSelector")) {
                assertEquals("monitoring", from.path("namespaceSelector").path("matchLabels")
                    .path("kubernetes.io/metadata.name").asText());
                assertEquals(Set.of(9095), rulePorts, "Prometheus reaches /metrics only");
            } else {
                assertEquals(Map.of("app", "pekko-grid"), labels(from.path("podSelector").path("matchLabels")),
                    "the grid's own pods");
                assertFalse(rulePorts.contains(9095));
            }
            ports.addAll(rulePorts);
        }
        return ports;
    }

    @Test
    void kedaScalesTheWorkersOnTheDesiredSlots() {
        JsonNode scaled = object(autoscaling, "ScaledObject", "grid-worker");
        JsonNode target = scaled.path("spec").path("scaleTargetRef");
        assertEquals("Deployment", target.path("kind").asText());
        assertNotNull(object(grid, target.path("kind").asText(), target.path("name").asText()));
        JsonNode trigger = scaled.path("spec").path("triggers").get(0);
        assertEquals("prometheus", trigger.path("type").asText());
        String metric = KamonHeadMetrics.DESIRED_SLOTS.replace('.', '_');
        assertTrue(trigger.path("metadata").path("query").asText().contains(metric),
            "the query reads " + metric + ": " + trigger.path("metadata").path("query").asText());
        // Replicas = ceil(desired slots / threshold): the threshold is one worker pod's slots.
        String cpu = container(workers()).path("resources").path("requests").path("cpu").asText();
        assertEquals(cpu, trigger.path("metadata").path("threshold").asText());
        assertTrue(scaled.path("spec").path("minReplicaCount").asInt() >= 1, "a worker stays to accept jobs");
    }

    @Test
    void composeRestartsItsNodes() {
        compose.path("services").fields().forEachRemaining(e -> {
            JsonNode service = e.getValue();
            String command = service.path("command").path(0).asText();
            if (command.equals("head") || command.equals("worker")) {
                assertEquals("unless-stopped", service.path("restart").asText(), e.getKey() + " restarts");
            }
        });
        assertEquals("no", compose.path("services").path("client").path("restart").asText());
    }

    /** The version in the root pom.xml (this module's parent). */
    private static String projectVersion() throws IOException {
        String pom = Files.readString(DEPLOY.resolve("../pom.xml"));
        Matcher m = Pattern.compile("<artifactId>pekko-grid</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "the root pom's version");
        return m.group(1);
    }
}
