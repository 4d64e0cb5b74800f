package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * Ten client processes start at once against a head and a worker, each a JVM of its own: five
 * are programs of a user's ({@link CrowdClient}, five jobs each, all in flight together), five
 * are {@code grid submit --repeat 5}. Clients are not cluster members: the crowd leaves the
 * membership as it was, no node is downed, and every job ends COMPLETED with the exact answer.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClientCrowdTest {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLIENT_TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JOB_LINE = Pattern.compile("JOB (\\d+) (\\w+) (.*) (\\S+)");

    /** Five workloads, small enough that the crowd's own start-up is most of the work. */
    private static final List<JobSpec> MIX = List.of(
        JobSpec.of("leibniz-pi").param("terms", 10_000_000).withChunks(16),
        JobSpec.of("prime-count").param("n", 2_000_000).withChunks(8),
        JobSpec.of("monte-carlo-pi").param("samples", 2_000_000).withChunks(10),
        JobSpec.of("sleep").param("millis", 20).withChunks(20),
        JobSpec.of("noop").withChunks(10_000));

    /**
     * Twelve JVMs starting at once on two cores take their time: the clients wait for a head longer
     * than the 15 s a user's single client does. What is measured is that they all get through.
     */
    private static final List<String> PATIENT = List.of("-Dgrid.client.connect-timeout=90s");

    private final List<ChildNode> nodes = new ArrayList<>();

    /** The jobs client {@code n} runs: the mix, rotated so the clients do not all start alike. */
    static List<JobSpec> jobs(int n) {
        List<JobSpec> jobs = new ArrayList<>();
        for (int i = 0; i < MIX.size(); i++) jobs.add(MIX.get((n + i) % MIX.size()));
        return jobs;
    }

    @AfterEach
    void stop() {
        ChildNode.stopAll(nodes);
    }

    @Test
    void tenClientsAtOnceGetEveryJobDoneExactlyAndLeaveTheMembershipAlone() throws Exception {
        int port = ChildNode.freePort();
        int httpPort = ChildNode.freePort();
        String seed = "127.0.0.1:" + port;
        ChildNode head = start("crowd-head", "head", "--port", String.valueOf(port), "--http-port",
            String.valueOf(httpPort), "--no-metrics", "--exit-on-stdin-eof");
        ChildNode worker = start("crowd-worker", "worker", "--seed", seed, "--cores", "2", "--no-metrics",
            "--exit-on-stdin-eof");
        head.awaitLine("head ready at " + seed, READY_TIMEOUT);
        worker.awaitLine("worker ready at ", READY_TIMEOUT);
        HeadApiClient api = new HeadApiClient("127.0.0.1:" + httpPort);
        List<String> before = members(api.status());

        List<ChildNode> programs = new ArrayList<>();
        List<ChildNode> submits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            programs.add(track(ChildNode.startMain("crowd-program-" + i, PATIENT, CrowdClient.class, seed,
                String.valueOf(i))));
            JobSpec spec = MIX.get(i);
            List<String> args = new ArrayList<>(List.of("submit", "--seed", seed, "--json", "--no-progress",
                "--repeat", "5", "--warm-up-runs", "0", spec.workload(), "--chunks", String.valueOf(spec.chunks())));
            spec.params().forEach((k, v) -> args.addAll(List.of("--param", k + "=" + v)));
            submits.add(track(ChildNode.startMain("crowd-submit-" + i, PATIENT, GridMain.class,
                args.toArray(String[]::new))));
        }

        for (int i = 0; i < programs.size(); i++) {
            ChildNode program = programs.get(i);
            assertEquals(0, program.awaitExit(CLIENT_TIMEOUT), () -> program + " failed:\n" + program.stderrTail());
            List<JobSpec> specs = jobs(i);
            int seen = 0;
            for (String line : program.stdout()) {
                Matcher m = JOB_LINE.matcher(line);
                if (!m.matches()) continue;
                seen++;
                JobSpec spec = specs.get(Integer.parseInt(m.group(1)));
                assertEquals("COMPLETED", m.group(2), () -> spec.workload() + " in " + program + ": " + line);
                assertExact(spec, JSON.readTree(m.group(3)), program + " " + spec.workload());
            }
            assertEquals(5, seen, () -> program + " printed " + program.stdout());
        }
        for (int i = 0; i < submits.size(); i++) {
            ChildNode submit = submits.get(i);
            assertEquals(0, submit.awaitExit(CLIENT_TIMEOUT), () -> submit + " failed:\n" + submit.stderrTail());
            JsonNode out = JSON.readTree(String.join("\n", submit.stdout()));
            assertEquals("COMPLETED", out.get("status").asText(), out::toString);
            assertEquals(5, out.get("repeat").get("runs").asInt(), out::toString);
            assertEquals(0, out.get("repeat").get("failed").asInt(), out::toString);
            assertExact(MIX.get(i), out.get("result"), submit.toString());
        }

        assertEquals(before, members(api.status()), "the crowd neither joined nor disturbed the cluster");
        assertTrue(head.isAlive() && worker.isAlive(), "head and worker still run");
        for (ChildNode node : List.of(head, worker)) {
            String log = Files.readString(ChildNode.LOGS.resolve(node.name() + ".err"));
            assertFalse(log.contains("SBR took decision"), node + " saw a downing decision:\n" + node.stderrTail());
            assertFalse(log.contains("Marking node as UNREACHABLE"), node + " saw a node unreachable:\n"
                + node.stderrTail());
        }
    }

    /** Members as "address status reachable", in a stable order. */
    private static List<String> members(ClusterStatus status) {
        return status.members().stream().map(m -> m.address() + " " + m.status() + " " + m.reachable()).sorted().toList();
    }

    /**
     * The answer the grid gave is the known one: pi's series sum, pi(2e6), the chunks slept or run;
     * monte-carlo-pi's seeded estimate is the one its kernel gives single-threaded in this JVM.
     */
    private static void assertExact(JobSpec spec, JsonNode answer, String where) throws Exception {
        JsonNode expected = switch (spec.workload()) {
            case "leibniz-pi" -> JSON.valueToTree(LeibnizPi.expected(Long.parseLong(spec.params().get("terms"))));
            case "prime-count" -> JSON.valueToTree(148_933);
            case "sleep", "noop" -> JSON.valueToTree(spec.chunks());
            default -> {
                BoundJob<?, ?, ?, ?> job = BoundJob.bind(spec.workload(), spec.params(), spec.chunks(), Long.MAX_VALUE);
                yield job.answerJson(job.runSequential());
            }
        };
        if (expected.isFloatingPointNumber()) {
            double tolerance = Math.abs(expected.asDouble()) * 1e-12;
            assertEquals(expected.asDouble(), answer.asDouble(), tolerance, where);
        } else if (expected.isNumber()) {
            assertEquals(expected.asLong(), answer.asLong(), where);
        } else if (!expected.equals(answer)) {
            fail(where + ": expected " + expected + ", got " + answer);
        }
    }

    private ChildNode start(String name, String... args) throws Exception {
        return track(ChildNode.start(name, args));
    }

    private ChildNode track(ChildNode node) {
        nodes.add(node);
        return node;
    }
}
