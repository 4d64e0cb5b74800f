package org.apache.pekko.remote.artery.tcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.remote.RemoteActorRefProvider;
import org.apache.pekko.remote.artery.ArterySettings;
import org.apache.pekko.remote.artery.ArteryTransport;
import org.apache.pekko.remote.artery.EnvelopeBuffer;
import org.apache.pekko.remote.artery.RemotingFlightRecorder;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.impl.io.ByteStringParser;
import org.apache.pekko.stream.scaladsl.Framing.FramingException;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.pekkogrid.framingpatch.BoundedFraming;
import scala.Option;
import scala.collection.immutable.Set;

/**
 * Pekko 1.7.0's inbound Artery TCP framing, in Java, with apache/pekko#3525 applied: a frame length
 * read from the wire that is negative or above the connection's maximum frame size fails the
 * connection with a {@link FramingException}, before any of the frame is buffered.
 *
 * <p>Why pekko-grid carries it: in 1.7.0 a negative length moves the parser's cursor backwards, so
 * 9 bytes ({@code AKKA}, a stream id, {@code fc ff ff ff}) make it re-read the same header forever,
 * emitting empty frames that the decoder drops with a warning each (1.5 million in 11 s, 2.8 GB of
 * RSS, the node starved and downed). pekko-remote 1.7.1 and later fix it but are not served here.
 * Delete this module as soon as a pekko-remote release with #3525 is.
 *
 * <p>It replaces the Scala class of the same name because it comes first on the classpath (it is
 * the first dependency of every module that starts an actor system) and because grid.jar leaves
 * pekko-remote's {@code TcpFraming*.class} out. It keeps the Scala class's binary interface: the
 * constructor {@code ArteryTcpTransport} calls, the companion {@code TcpFraming$} it calls for
 * headers, and the static forwarders. {@code FramingPatchCheck} logs an error at start-up if
 * pekko-remote's class won nonetheless.
 *
 * <p>A connection carries one stream for its life. As upstream, the large-message stream
 * ({@link ArteryTransport#LargeStreamId()}) is bounded by {@code advanced.maximum-large-frame-size}
 * and every other stream id by {@code advanced.maximum-frame-size}. Senders never write a frame
 * larger than these: their envelope buffers have exactly that capacity.
 */
public class TcpFraming extends ByteStringParser<EnvelopeBuffer> implements BoundedFraming {

    private final Set<ByteString> acceptedMagic;
    private final RemotingFlightRecorder flightRecorder;
    private final int magicLength;
    /** Null: read from the settings of the actor system that runs the connection, when it starts. */
    private final FrameSizeLimits limits;

    /** The maximum frame sizes of ordinary and control streams, and of the large-message stream. */
    record FrameSizeLimits(int maximumFrameSize, int maximumLargeFrameSize) {

        FrameSizeLimits {
            if (maximumFrameSize < 0 || maximumLargeFrameSize < 0) {
                throw new IllegalArgumentException("maximum frame sizes must not be negative, got "
                    + maximumFrameSize + " and " + maximumLargeFrameSize);
            }
        }

        int forStream(int streamId) {
            return streamId == ArteryTransport.LargeStreamId() ? maximumLargeFrameSize : maximumFrameSize;
        }

        /** The limits the system's Artery transport writes frames with. */
        static FrameSizeLimits of(ActorSystem system) {
            if (!(system instanceof ExtendedActorSystem extended
                && extended.provider() instanceof RemoteActorRefProvider remote)) {
                throw new IllegalStateException("TcpFraming without maximum frame sizes reads them from the "
                    + "remoting settings of the actor system that runs it, and " + system + " has no remoting");
            }
            ArterySettings.Advanced$ advanced = remote.remoteSettings().Artery().Advanced();
            return new FrameSizeLimits(advanced.MaximumFrameSize(), advanced.MaximumLargeFrameSize());
        }
    }

    /** What {@code ArteryTcpTransport} 1.7.0 calls: the limits come from its actor system's settings. */
    public TcpFraming(Set<ByteString> acceptedMagic, RemotingFlightRecorder flightRecorder) {
        this(acceptedMagic, flightRecorder, null);
    }

    /** Upstream's constructor since #3525, with the limits given. */
    public TcpFraming(Set<ByteString> acceptedMagic, RemotingFlightRecorder flightRecorder,
                      int maximumFrameSize, int maximumLargeFrameSize) {
        this(acceptedMagic, flightRecorder, new FrameSizeLimits(maximumFrameSize, maximumLargeFrameSize));
    }

    private TcpFraming(Set<ByteString> acceptedMagic, RemotingFlightRecorder flightRecorder, FrameSizeLimits limits) {
        this.acceptedMagic = acceptedMagic;
        this.flightRecorder = flightRecorder;
        this.magicLength = acceptedMagic.head().length();
        this.limits = limits;
    }

    // Static forwarders of the companion object, as scalac writes them.

    public static int Undefined() {
        return TcpFraming$.MODULE$.Undefined();
    }

    public static ByteString DefaultMagic() {
        return TcpFraming$.MODULE$.DefaultMagic();
    }

    public static ByteString PekkoMagic() {
        return TcpFraming$.MODULE$.PekkoMagic();
    }

    public static ByteString encodeConnectionHeader(ByteString magic, int streamId) {
        return TcpFraming$.MODULE$.encodeConnectionHeader(magic, streamId);
    }

    public static ByteString encodeFrameHeader(int frameLength) {
        return TcpFraming$.MODULE$.encodeFrameHeader(frameLength);
    }

    public static Set<ByteString> $lessinit$greater$default$1() {
        return TcpFraming$.MODULE$.$lessinit$greater$default$1();
    }

    public static RemotingFlightRecorder $lessinit$greater$default$2() {
        return TcpFraming$.MODULE$.$lessinit$greater$default$2();
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new Logic();
    }

    private final class Logic extends ParsingLogic {

        private FrameSizeLimits connectionLimits = limits;

        Logic() {
            startWith(new ReadMagic());
        }

        @Override
        public void preStart() {
            if (connectionLimits == null) connectionLimits = FrameSizeLimits.of(materializer().system());
        }

        private static ParseResult<EnvelopeBuffer> next(ParseStep<EnvelopeBuffer> step) {
            return new ParseResult<>(Option.empty(), step, true);
        }

        private final class ReadMagic implements ParseStep<EnvelopeBuffer> {
            @Override
            public ParseResult<EnvelopeBuffer> parse(ByteReader reader) {
                ByteString receivedMagic = reader.take(magicLength);
                if (acceptedMagic.contains(receivedMagic)) return next(new ReadStreamId());
                throw new FramingException("Stream didn't start with expected magic bytes, got ["
                    + hex(receivedMagic.concat(reader.remainingData()).take(10))
                    + "] Connection is rejected. Probably invalid accidental access.");
            }
        }

        private final class ReadStreamId implements ParseStep<EnvelopeBuffer> {
            @Override
            public ParseResult<EnvelopeBuffer> parse(ByteReader reader) {
                int streamId = reader.readByte();
                return next(new ReadFrame(streamId, connectionLimits.forStream(streamId)));
            }
        }

        private final class ReadFrame implements ParseStep<EnvelopeBuffer> {
            private final int streamId;
            private final int maximumFrameLength;

            ReadFrame(int streamId, int maximumFrameLength) {
                this.streamId = streamId;
                this.maximumFrameLength = maximumFrameLength;
            }

            @Override
            public void onTruncation() {
                failStage(new FramingException("Stream finished but there was a truncated final frame in the buffer"));
            }

            @Override
            public ParseResult<EnvelopeBuffer> parse(ByteReader reader) {
                int frameLength = reader.readIntLE();
                // The bound that 1.7.0 lacks: reader.take(negative) moves the cursor backwards.
                if (frameLength < 0 || frameLength > maximumFrameLength) {
                    throw new FramingException("Frame length [" + frameLength + "] on stream [" + streamId
                        + "] is outside [0, " + maximumFrameLength + "]. Connection is rejected.");
                }
                return new ParseResult<>(Option.apply(envelope(reader.take(frameLength))), this, true);
            }

            private EnvelopeBuffer envelope(ByteString frame) {
                ByteBuffer buffer = ByteBuffer.wrap(frame.toArray());
                buffer.order(ByteOrder.LITTLE_ENDIAN);
                flightRecorder.tcpInboundReceived(buffer.limit());
                EnvelopeBuffer envelope = new EnvelopeBuffer(buffer);
                envelope.setStreamId(streamId);
                return envelope;
            }
        }
    }

    private static String hex(ByteString bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < bytes.length(); i++) {
            if (i > 0) s.append(' ');
            s.append(String.format("%02x", bytes.apply(i)));
        }
        return s.toString();
    }
}
