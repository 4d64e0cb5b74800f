package org.apache.pekko.remote.artery.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.ArteryTransport;
import org.apache.pekko.remote.artery.EnvelopeBuffer;
import org.apache.pekko.remote.artery.NoOpRemotingFlightRecorder$;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.scaladsl.Framing.FramingException;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The bounded framing: inbound bytes of one Artery TCP connection to envelopes, or a rejected connection. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class TcpFramingTest {

    private static final int MAX_FRAME = 40 * 1024;
    private static final int MAX_LARGE_FRAME = 100 * 1024;
    private static final int CONTROL = ArteryTransport.ControlStreamId();
    private static final int ORDINARY = ArteryTransport.OrdinaryStreamId();
    private static final int LARGE = ArteryTransport.LargeStreamId();

    private ActorSystem system;

    @BeforeAll
    void start() {
        system = ActorSystem.create("framing", ConfigFactory.parseString("""
            pekko.loglevel = WARNING
            pekko.actor.provider = remote
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.remote.artery.canonical.port = 0
            pekko.remote.artery.advanced.maximum-frame-size = 48 KiB
            pekko.remote.artery.advanced.maximum-large-frame-size = 96 KiB
            """).withFallback(ConfigFactory.load()));
    }

    @AfterAll
    void stop() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void framesWithinTheMaximumBecomeEnvelopesOfTheConnectionsStream() throws Exception {
        byte[] first = bytes(3, 1);
        byte[] atMaximum = bytes(MAX_FRAME, 7);

        List<EnvelopeBuffer> envelopes = frame(chunks(header(ORDINARY), frame(first), frame(new byte[0]), frame(atMaximum)));

        assertEquals(3, envelopes.size());
        assertArrayEquals(first, contents(envelopes.get(0)));
        assertArrayEquals(new byte[0], contents(envelopes.get(1)));
        assertArrayEquals(atMaximum, contents(envelopes.get(2)));
        assertTrue(envelopes.stream().allMatch(e -> e.streamId() == ORDINARY));
    }

    @Test
    void aFrameSplitAcrossChunksAnywhereIsReassembled() throws Exception {
        byte[] payload = bytes(1000, 3);
        ByteString all = header(CONTROL).concat(frame(payload)).concat(frame(bytes(5, 9)));
        List<ByteString> oneByteEach = new ArrayList<>();
        for (int i = 0; i < all.length(); i++) oneByteEach.add(all.slice(i, i + 1));

        List<EnvelopeBuffer> envelopes = frame(oneByteEach);

        assertEquals(2, envelopes.size());
        assertArrayEquals(payload, contents(envelopes.get(0)));
        assertArrayEquals(bytes(5, 9), contents(envelopes.get(1)));
        assertEquals(CONTROL, envelopes.get(0).streamId());
    }

    @Test
    void aNegativeFrameLengthRejectsTheConnectionInsteadOfRereadingItsHeaderForever() {
        // The 9 bytes that made 1.7.0 log 1.5 million warnings in 11 s.
        ByteString attack = header(CONTROL).concat(ByteString.fromArray(new byte[] {(byte) 0xfc, (byte) 0xff, (byte) 0xff, (byte) 0xff}));

        FramingException e = rejected(chunks(attack));

        assertTrue(e.getMessage().contains("[-4]"), e.getMessage());
    }

    @Test
    void aLengthAboveTheMaximumIsRejectedBeforeItsBytesArrive() {
        // Only the header: without the bound the stage would wait for 2 GiB.
        FramingException e = rejected(chunks(header(ORDINARY), lengthOf(Integer.MAX_VALUE)));

        assertTrue(e.getMessage().contains("[" + Integer.MAX_VALUE + "]"), e.getMessage());
        rejected(chunks(header(CONTROL), frame(bytes(MAX_FRAME + 1, 0))));
    }

    @Test
    void theLargeMessageStreamKeepsItsLargerMaximum() throws Exception {
        byte[] betweenTheMaxima = bytes(MAX_FRAME + 1, 5);

        List<EnvelopeBuffer> large = frame(chunks(header(LARGE), frame(betweenTheMaxima), frame(bytes(MAX_LARGE_FRAME, 6))));

        assertEquals(2, large.size());
        assertArrayEquals(betweenTheMaxima, contents(large.get(0)));
        assertEquals(LARGE, large.get(0).streamId());
        // The same full frame on the ordinary stream, so that truncation cannot be what rejects it.
        rejected(chunks(header(ORDINARY), frame(betweenTheMaxima)));
        rejected(chunks(header(LARGE), frame(bytes(MAX_LARGE_FRAME + 1, 0))));
    }

    @Test
    void bytesThatDoNotStartWithTheMagicAreRejected() {
        FramingException e = rejected(chunks(ByteString.fromString("GET / HTTP/1.1\r\n")));

        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void withoutGivenMaximaTheRemotingSettingsOfTheSystemRunningItBound() throws Exception {
        TcpFraming fromSettings = new TcpFraming(TcpFraming.$lessinit$greater$default$1(), NoOpRemotingFlightRecorder$.MODULE$);
        byte[] atLarge = bytes(96 * 1024, 2);

        assertEquals(1, run(fromSettings, chunks(header(LARGE), frame(atLarge))).size());
        assertEquals(1, run(fromSettings, chunks(header(ORDINARY), frame(bytes(48 * 1024, 1)))).size());
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> run(fromSettings, chunks(header(ORDINARY), lengthOf(48 * 1024 + 1))));
        assertInstanceOf(FramingException.class, e.getCause());
    }

    @Test
    void headersAreWrittenAsBefore() {
        assertEquals(ByteString.fromString("AKKA").concat(ByteString.fromArray(new byte[] {2})),
            TcpFraming.encodeConnectionHeader(TcpFraming.DefaultMagic(), 2));
        assertEquals(ByteString.fromArray(new byte[] {(byte) 0xfc, (byte) 0xff, (byte) 0xff, (byte) 0xff}),
            TcpFraming.encodeFrameHeader(-4));
        assertEquals(ByteString.fromArray(new byte[] {0x04, 0x03, 0x02, 0x01}), TcpFraming.encodeFrameHeader(0x01020304));
    }

    private List<EnvelopeBuffer> frame(List<ByteString> chunks) throws Exception {
        return run(new TcpFraming(TcpFraming.$lessinit$greater$default$1(), NoOpRemotingFlightRecorder$.MODULE$,
            MAX_FRAME, MAX_LARGE_FRAME), chunks);
    }

    private List<EnvelopeBuffer> run(TcpFraming framing, List<ByteString> chunks) throws Exception {
        return Source.from(chunks).via(framing).runWith(Sink.seq(), system).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private FramingException rejected(List<ByteString> chunks) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> frame(chunks));
        return assertInstanceOf(FramingException.class, e.getCause());
    }

    private static List<ByteString> chunks(ByteString... chunks) {
        return List.of(chunks);
    }

    private static ByteString header(int streamId) {
        return TcpFraming.encodeConnectionHeader(TcpFraming.DefaultMagic(), streamId);
    }

    private static ByteString lengthOf(int frameLength) {
        return TcpFraming.encodeFrameHeader(frameLength);
    }

    private static ByteString frame(byte[] payload) {
        return lengthOf(payload.length).concat(ByteString.fromArray(payload));
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    private static byte[] contents(EnvelopeBuffer envelope) {
        ByteBuffer buffer = envelope.byteBuffer();
        byte[] b = new byte[buffer.remaining()];
        buffer.get(b);
        return b;
    }
}
