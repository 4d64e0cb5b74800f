package org.pekkogrid.deploy;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Artery's TLS for {@code --tls DIR}: Pekko's {@link RotatingKeysSSLEngineProvider} (PEM files
 * re-read when its context cache expires, TLS 1.3, mutual authentication, peers checked against
 * the grid's CA by the trust manager), with the peer check replaced: instead of Pekko's
 * "shares a subject name with me", a peer must hold a certificate whose role this node talks
 * with ({@link TlsRole#talksWith}); a worker refuses a client certificate, whichever side dialled.
 * Pekko's provider is final, so this one wraps it.
 */
public final class GridSslEngineProvider implements SSLEngineProvider {

    private static final Logger LOG = LoggerFactory.getLogger(GridSslEngineProvider.class);

    private final RotatingKeysSSLEngineProvider keys;
    private final TlsRole role;

    /** Artery makes it by reflection with the actor system. */
    public GridSslEngineProvider(ActorSystem system) {
        this.keys = new RotatingKeysSSLEngineProvider(system);
        this.role = TlsRole.parse(system.settings().config().getString("grid.tls.role"));
    }

    @Override
    public SSLEngine createServerSSLEngine(String hostname, int port) {
        return new HandshakeReportingEngine(keys.createServerSSLEngine(hostname, port),
            "an inbound connection to " + hostname + ":" + port);
    }

    @Override
    public SSLEngine createClientSSLEngine(String hostname, int port) {
        return new HandshakeReportingEngine(keys.createClientSSLEngine(hostname, port),
            "the connection to " + hostname + ":" + port);
    }

    /** This node dialled {@code hostname}: is the server's certificate one we talk with? */
    @Override
    public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
        try {
            if (session.getPeerCertificates()[0] instanceof X509Certificate peer) {
                // The session's peer port is the one dialled: a member's canonical port.
                PeerCertificates.record(hostname, session.getPeerPort(), TlsRole.of(peer),
                    peer.getSubjectX500Principal().getName());
            }
        } catch (SSLPeerUnverifiedException | ArrayIndexOutOfBoundsException e) {
            // no certificate: verify says so
        }
        return verify("connection to " + hostname, session);
    }

    /** A peer dialled this node. */
    @Override
    public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
        return verify("an inbound connection", session);
    }

    private Option<Throwable> verify(String connection, SSLSession session) {
        String refusal = refusal(role, session);
        if (refusal == null) return Option.empty();
        String line = "TLS: refused " + connection + ": " + refusal;
        LOG.warn(line);
        return Option.apply(new SecurityException(line));
    }

    /** Why a node of {@code role} refuses this peer, or null when it does not. */
    static String refusal(TlsRole role, SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return "the peer presented no certificate";
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate peer)) return "the peer presented no certificate";
        Set<TlsRole> granted = TlsRole.of(peer);
        String subject = peer.getSubjectX500Principal().getName();
        if (granted.isEmpty()) return "its certificate " + subject + " grants no grid role";
        for (TlsRole r : granted) if (role.talksWith(r)) return null;
        return "wrong role: its certificate " + subject + " is a " + granted.iterator().next().label()
            + "'s, and a " + role.label() + " does not talk with a "
            + granted.iterator().next().label();
    }
}
