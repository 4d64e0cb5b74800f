package org.apache.pekko.remote.artery.tcp;

import org.apache.pekko.remote.artery.NoOpRemotingFlightRecorder$;
import org.apache.pekko.remote.artery.RemotingFlightRecorder;
import org.apache.pekko.util.ByteString;
import scala.collection.immutable.Set;
import scala.collection.immutable.Set$;

/**
 * The Scala companion object of {@link TcpFraming}, as scalac compiles it, unchanged from 1.7.0:
 * {@code ArteryTcpTransport} writes its outbound headers through {@code TcpFraming$.MODULE$}, so a
 * replacement of {@code TcpFraming} must bring this class too.
 */
public final class TcpFraming$ {

    public static final TcpFraming$ MODULE$ = new TcpFraming$();

    private static final int UNDEFINED = Integer.MIN_VALUE;
    /** Akka's 4-byte magic, still what Pekko 1.x sends first on a connection. */
    private static final ByteString AKKA_MAGIC = ByteString.fromArray(new byte[] {'A', 'K', 'K', 'A'});
    /** Pekko 2.x's magic, which 1.7.0 also accepts when configured to. */
    private static final ByteString PEKKO_MAGIC = ByteString.fromArray(new byte[] {'P', 'E', 'K', 'K'});

    private TcpFraming$() {}

    public Set<ByteString> $lessinit$greater$default$1() {
        return Set$.MODULE$.<ByteString>empty().incl(AKKA_MAGIC);
    }

    public RemotingFlightRecorder $lessinit$greater$default$2() {
        return NoOpRemotingFlightRecorder$.MODULE$;
    }

    public int Undefined() {
        return UNDEFINED;
    }

    public ByteString DefaultMagic() {
        return AKKA_MAGIC;
    }

    public ByteString PekkoMagic() {
        return PEKKO_MAGIC;
    }

    /** The magic, then the stream id in one byte: what a connection starts with. */
    public ByteString encodeConnectionHeader(ByteString magic, int streamId) {
        return magic.concat(ByteString.fromArray(new byte[] {(byte) streamId}));
    }

    /** A frame's length in 4 bytes, little endian, before the frame. */
    public ByteString encodeFrameHeader(int frameLength) {
        return ByteString.fromArrayUnsafe(new byte[] {
            (byte) frameLength,
            (byte) (frameLength >>> 8),
            (byte) (frameLength >>> 16),
            (byte) (frameLength >>> 24)});
    }
}
