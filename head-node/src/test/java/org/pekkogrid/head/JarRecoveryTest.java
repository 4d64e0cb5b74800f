package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.protocol.JarCommand;
import org.pekkogrid.workloads.JarPieces;
import org.pekkogrid.workloads.WorkloadJars;

/**
 * A standby head's recovery of a jar it lacks: from the first holder that keeps it, in pieces,
 * checked by its SHA-256; or, when none does, a reason that names the fix.
 */
class JarRecoveryTest {

    private static final Duration PIECE_TIMEOUT = Duration.ofSeconds(3);
    private static ActorTestKit testKit;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("jar-recovery-test", ConfigFactory.parseString(
                "pekko.actor.provider = local\npekko.actor.serialize-messages = on")
            .withFallback(ConfigFactory.parseResources("pekko-grid.conf")).withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** A holder as a worker's cache is one: it serves the jars in {@code jars}. */
    private static Behavior<JarCommand> holder(WorkloadJars jars) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(JarCommand.HOLDERS, ctx.getSelf()));
            JarPieces pieces = new JarPieces(jars);
            return Behaviors.receive(JarCommand.class)
                .onMessage(JarCommand.Get.class, get -> {
                    get.replyTo().tell(pieces.piece(get));
                    return Behaviors.same();
                })
                .build();
        });
    }

    private static void awaitHolders(int count) {
        TestProbe<Receptionist.Listing> listings = testKit.createTestProbe();
        listings.awaitAssert(() -> {
            testKit.system().receptionist().tell(Receptionist.find(JarCommand.HOLDERS, listings.getRef()));
            assertTrue(listings.receiveMessage().getServiceInstances(JarCommand.HOLDERS).size() >= count);
            return null;
        });
    }

    @Test
    void aJarIsFetchedFromAHolderThatKeepsItPastOnesThatDoNotAndAMissingOneNamesTheFix() throws Exception {
        byte[] jar = new byte[JarCommand.PIECE_BYTES * 2 + 77];
        new Random(23).nextBytes(jar);
        String sha = WorkloadJars.sha256(jar);
        WorkloadJars worker = new WorkloadJars(dir.resolve("worker"), 1 << 20);
        worker.store(sha, jar);
        testKit.spawn(holder(new WorkloadJars(dir.resolve("other-head"), 1 << 20)));
        testKit.spawn(holder(worker));
        WorkloadJars standby = new WorkloadJars(dir.resolve("standby"), 1 << 20);
        ActorRef<JarCommand> ownStore = testKit.spawn(JarStore.create(standby));
        awaitHolders(3);

        TestProbe<JarRecovery.Recovered> answers = testKit.createTestProbe();
        testKit.spawn(JarRecovery.create(standby, sha, PIECE_TIMEOUT, ownStore, answers.getRef()));
        JarRecovery.Recovered recovered = answers.receiveMessage(Duration.ofSeconds(10));
        assertNull(recovered.problem());
        assertArrayEquals(jar, standby.read(sha));

        String lost = WorkloadJars.sha256(new byte[] {1, 2, 3});
        testKit.spawn(JarRecovery.create(standby, lost, PIECE_TIMEOUT, ownStore, answers.getRef()));
        JarRecovery.Recovered missing = answers.receiveMessage(Duration.ofSeconds(10));
        assertTrue(missing.problem().contains("no node this head reaches keeps the workload jar "
            + WorkloadJars.shortName(lost)), missing.problem());
        assertTrue(missing.problem().contains("Give the heads one shared grid.jars.directory"), missing.problem());
        assertFalse(standby.has(lost));
    }
}
