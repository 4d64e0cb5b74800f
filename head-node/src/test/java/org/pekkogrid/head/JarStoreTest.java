package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.protocol.JarCommand;
import org.pekkogrid.workloads.WorkloadJars;

/** The head's jar store: a jar sent in pieces is kept once, checked against its name, and served in pieces. */
class JarStoreTest {

    private static ActorTestKit testKit;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        // serialize-messages: every message here goes through the wire format, pieces included.
        testKit = ActorTestKit.create("jar-store-test", ConfigFactory.parseString(
                "pekko.actor.provider = local\npekko.actor.serialize-messages = on")
            .withFallback(ConfigFactory.parseResources("pekko-grid.conf")).withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aJarSentInPiecesIsKeptOnceAndServedInPieces() {
        byte[] jar = new byte[JarCommand.PIECE_BYTES * 2 + 1234];
        new Random(17).nextBytes(jar);
        String sha = WorkloadJars.sha256(jar);
        WorkloadJars jars = new WorkloadJars(dir.resolve("served"), 1 << 20);
        ActorRef<JarCommand> store = testKit.spawn(JarStore.create(jars));

        TestProbe<JarCommand.OfferAnswer> offers = testKit.createTestProbe();
        store.tell(new JarCommand.Offer(sha, jar.length, offers.getRef()));
        JarCommand.OfferAnswer first = offers.receiveMessage();
        assertFalse(first.have());
        assertNull(first.refusal());

        TestProbe<JarCommand.PutAnswer> puts = testKit.createTestProbe();
        for (int offset = 0; offset < jar.length; offset += JarCommand.PIECE_BYTES) {
            byte[] piece = Arrays.copyOfRange(jar, offset, Math.min(jar.length, offset + JarCommand.PIECE_BYTES));
            store.tell(new JarCommand.Put(sha, offset, jar.length, piece, puts.getRef()));
            JarCommand.PutAnswer answer = puts.receiveMessage();
            assertNull(answer.error());
            assertEquals(offset + piece.length == jar.length, answer.stored());
        }
        assertTrue(jars.has(sha));
        store.tell(new JarCommand.Offer(sha, jar.length, offers.getRef()));
        assertTrue(offers.receiveMessage().have(), "a second offer of the same jar: the head has it");

        TestProbe<JarCommand.Piece> pieces = testKit.createTestProbe();
        ByteArrayOutputStream fetched = new ByteArrayOutputStream();
        while (fetched.size() < jar.length) {
            store.tell(new JarCommand.Get(sha, fetched.size(), pieces.getRef()));
            JarCommand.Piece piece = pieces.receiveMessage();
            assertNull(piece.error());
            assertEquals(jar.length, piece.sizeBytes());
            fetched.writeBytes(piece.bytes());
        }
        assertArrayEquals(jar, fetched.toByteArray());
    }

    @Test
    void piecesOutOfOrderDamagedBytesAndUnknownJarsAreRefusedSayingWhy() {
        byte[] jar = new byte[1000];
        new Random(18).nextBytes(jar);
        String sha = WorkloadJars.sha256(jar);
        WorkloadJars jars = new WorkloadJars(dir.resolve("refused"), 1 << 20);
        ActorRef<JarCommand> store = testKit.spawn(JarStore.create(jars));
        TestProbe<JarCommand.PutAnswer> puts = testKit.createTestProbe();

        store.tell(new JarCommand.Put(sha, 500, jar.length, Arrays.copyOfRange(jar, 500, 1000), puts.getRef()));
        assertTrue(puts.receiveMessage().error().contains("out of order"));

        byte[] damaged = jar.clone();
        damaged[3] ^= 1;
        store.tell(new JarCommand.Put(sha, 0, jar.length, damaged, puts.getRef()));
        assertTrue(puts.receiveMessage().error().contains("damaged on the way"));
        assertFalse(jars.has(sha));

        TestProbe<JarCommand.OfferAnswer> offers = testKit.createTestProbe();
        store.tell(new JarCommand.Offer(sha, 2 << 20, offers.getRef()));
        assertTrue(offers.receiveMessage().refusal().contains("grid.jars.max-bytes"));
        store.tell(new JarCommand.Offer("not-a-sha", 10, offers.getRef()));
        assertTrue(offers.receiveMessage().refusal().contains("64 lower-case hex digits"));

        TestProbe<JarCommand.Piece> pieces = testKit.createTestProbe();
        store.tell(new JarCommand.Get(sha, 0, pieces.getRef()));
        assertTrue(pieces.receiveMessage().error().contains("has no workload jar"));
    }

    @Test
    void onAHeadWithTlsNoPieceIsTakenWithoutAnOfferThatProvesTheGrant() throws Exception {
        byte[] jar = new byte[1000];
        new Random(19).nextBytes(jar);
        String sha = WorkloadJars.sha256(jar);
        WorkloadJars jars = new WorkloadJars(dir.resolve("tls"), 1 << 20);
        ShipCodeCheck check = ShipCodeCheck.against(java.nio.file.Files.writeString(dir.resolve("ca.crt"), ""),
            java.time.Duration.ofMinutes(10));
        ActorRef<JarCommand> store = testKit.spawn(JarStore.create(jars, check));
        TestProbe<JarCommand.PutAnswer> puts = testKit.createTestProbe();
        TestProbe<JarCommand.OfferAnswer> offers = testKit.createTestProbe();

        store.tell(new JarCommand.Put(sha, 0, jar.length, jar, puts.getRef()));
        assertTrue(puts.receiveMessage().error().contains("offer the jar " + WorkloadJars.shortName(sha)
            + " with a proof that the client may ship code"));

        store.tell(new JarCommand.Offer(sha, jar.length, offers.getRef()));
        assertTrue(offers.receiveMessage().refusal().contains("the client sent no proof of one; ship code with a "
            + "certificate that grants it: grid certs issue --role client --ship-code"));
        store.tell(new JarCommand.Offer(sha, jar.length, offers.getRef(),
            new org.pekkogrid.protocol.ShipCodeProof(new byte[] {1, 2, 3}, System.currentTimeMillis(), new byte[8])));
        assertTrue(offers.receiveMessage().refusal().contains("cannot be read"));
        store.tell(new JarCommand.Put(sha, 0, jar.length, jar, puts.getRef()));
        assertTrue(puts.receiveMessage().error().contains("with a proof that the client may ship code"));
        assertFalse(jars.has(sha));
    }
}
