package org.pekkogrid.framingpatch;

import java.security.CodeSource;
import java.util.Optional;
import org.apache.pekko.Version;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.event.Logging;
import org.apache.pekko.remote.artery.tcp.TcpFraming;

/**
 * Runs when an actor system starts (listed in {@code pekko.library-extensions} by this module's
 * reference.conf) and logs an error if Artery would frame inbound connections with pekko-remote
 * 1.7.0's unbounded {@code TcpFraming} rather than this module's, or if Pekko is no longer the
 * version this module patches. Costs one class lookup.
 */
public final class FramingPatchCheck extends AbstractExtensionId<FramingPatchCheck.Checked> {

    /** The Pekko release whose TcpFraming this module replaces. */
    public static final String PATCHED_PEKKO_VERSION = "1.7.0";

    /** The check ran; nothing to keep. */
    public static final class Checked implements Extension {}

    @Override
    public Checked createExtension(ExtendedActorSystem system) {
        problem().ifPresent(p -> Logging.getLogger(system, FramingPatchCheck.class).error(p));
        return new Checked();
    }

    /** Empty when the bounded framing is the one loaded; otherwise what is wrong and what to do. */
    public static Optional<String> problem() {
        if (!isPatchedFramingLoaded()) {
            return Optional.of("Artery's TCP framing is pekko-remote's unbounded TcpFraming (from "
                + location(TcpFraming.class) + "): 9 bytes sent to this node's Artery port can flood its log, "
                + "fill its memory and starve it (apache/pekko#3525). Put artery-framing-patch before "
                + "pekko-remote on the classpath, or leave pekko-remote's TcpFraming*.class out of the jar.");
        }
        if (!PATCHED_PEKKO_VERSION.equals(Version.current())) {
            return Optional.of("artery-framing-patch replaces the TcpFraming of Pekko " + PATCHED_PEKKO_VERSION
                + " but this is Pekko " + Version.current() + ": if it includes apache/pekko#3525 delete the "
                + "module, otherwise compare the patch with this version's TcpFraming before trusting it.");
        }
        return Optional.empty();
    }

    /** Whether {@code TcpFraming}, as this class loader resolves it, is the bounded one. */
    public static boolean isPatchedFramingLoaded() {
        return BoundedFraming.class.isAssignableFrom(TcpFraming.class);
    }

    private static String location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null ? "an unknown location" : String.valueOf(source.getLocation());
    }
}
