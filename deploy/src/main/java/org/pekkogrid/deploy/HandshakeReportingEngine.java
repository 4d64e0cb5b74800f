package org.pekkogrid.deploy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SSLEngine that says, in one WARN line, why a TLS handshake failed: Pekko's inbound side
 * drops a failed handshake without a word at its default log level, so a head never said that a
 * worker without --tls, or with another grid's certificate, had knocked. Everything else is the
 * wrapped engine's.
 */
final class HandshakeReportingEngine extends SSLEngine {

    private static final Logger LOG = LoggerFactory.getLogger(GridSslEngineProvider.class);

    private static final long REPEAT_AFTER_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    private static final java.util.Map<String, Long> LOGGED = new java.util.concurrent.ConcurrentHashMap<>();

    private final SSLEngine engine;
    private final String connection;
    private boolean reported;

    HandshakeReportingEngine(SSLEngine engine, String connection) {
        super(engine.getPeerHost(), engine.getPeerPort());
        this.engine = engine;
        this.connection = connection;
    }

    /** Why a handshake failed, in a grid operator's words. */
    static String reason(SSLException e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) all.append(' ').append(t.getMessage());
        String text = all.toString();
        if (text.contains("Unsupported or unrecognized SSL message") || text.contains("plaintext connection")) {
            return "the peer does not speak TLS (a node started without --tls?)";
        }
        if (text.contains("PKIX path") || text.contains("unable to find valid certification path")) {
            return "the peer's certificate was not issued by this grid's CA (untrusted CA)";
        }
        if (text.contains("certificate_unknown") || text.contains("bad_certificate") || text.contains("unknown_ca")) {
            return "the peer refused this node's certificate (is this node's CA the peer's grid CA?)";
        }
        if (text.contains("Empty client certificate chain") || text.contains("certificate_required")) {
            return "the peer presented no certificate";
        }
        if (text.contains("certificate expired") || text.contains("certificate_expired") || text.contains("validity check failed")) {
            return "a certificate has expired (" + e.getMessage() + ")";
        }
        if (text.contains("terminated the handshake") || text.contains("closed")) {
            return "the peer closed the connection during the handshake (it may run without --tls, or refused this node)";
        }
        return e.getMessage();
    }

    private SSLException report(SSLException e) {
        if (reported) return e;
        reported = true;
        String line = "TLS: handshake failed on " + connection + ": " + reason(e);
        // Artery dials again every few seconds, on each of its three streams: one line per minute says it.
        long now = System.nanoTime();
        Long last = LOGGED.get(line);
        if (last == null || now - last > REPEAT_AFTER_NANOS) {
            LOGGED.put(line, now);
            LOG.warn(line);
        } else {
            LOG.debug(line);
        }
        return e;
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        try {
            return engine.wrap(srcs, offset, length, dst);
        } catch (SSLException e) {
            throw report(e);
        }
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        try {
            return engine.unwrap(src, dsts, offset, length);
        } catch (SSLException e) {
            throw report(e);
        }
    }

    @Override public Runnable getDelegatedTask() { return engine.getDelegatedTask(); }
    @Override public void closeInbound() throws SSLException { engine.closeInbound(); }
    @Override public boolean isInboundDone() { return engine.isInboundDone(); }
    @Override public void closeOutbound() { engine.closeOutbound(); }
    @Override public boolean isOutboundDone() { return engine.isOutboundDone(); }
    @Override public String[] getSupportedCipherSuites() { return engine.getSupportedCipherSuites(); }
    @Override public String[] getEnabledCipherSuites() { return engine.getEnabledCipherSuites(); }
    @Override public void setEnabledCipherSuites(String[] suites) { engine.setEnabledCipherSuites(suites); }
    @Override public String[] getSupportedProtocols() { return engine.getSupportedProtocols(); }
    @Override public String[] getEnabledProtocols() { return engine.getEnabledProtocols(); }
    @Override public void setEnabledProtocols(String[] protocols) { engine.setEnabledProtocols(protocols); }
    @Override public SSLSession getSession() { return engine.getSession(); }
    @Override public SSLSession getHandshakeSession() { return engine.getHandshakeSession(); }
    @Override public void beginHandshake() throws SSLException {
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            throw report(e);
        }
    }
    @Override public SSLEngineResult.HandshakeStatus getHandshakeStatus() { return engine.getHandshakeStatus(); }
    @Override public void setUseClientMode(boolean mode) { engine.setUseClientMode(mode); }
    @Override public boolean getUseClientMode() { return engine.getUseClientMode(); }
    @Override public void setNeedClientAuth(boolean need) { engine.setNeedClientAuth(need); }
    @Override public boolean getNeedClientAuth() { return engine.getNeedClientAuth(); }
    @Override public void setWantClientAuth(boolean want) { engine.setWantClientAuth(want); }
    @Override public boolean getWantClientAuth() { return engine.getWantClientAuth(); }
    @Override public void setEnableSessionCreation(boolean flag) { engine.setEnableSessionCreation(flag); }
    @Override public boolean getEnableSessionCreation() { return engine.getEnableSessionCreation(); }
    @Override public SSLParameters getSSLParameters() { return engine.getSSLParameters(); }
    @Override public void setSSLParameters(SSLParameters params) { engine.setSSLParameters(params); }
    @Override public String getApplicationProtocol() { return engine.getApplicationProtocol(); }
    @Override public String getHandshakeApplicationProtocol() { return engine.getHandshakeApplicationProtocol(); }
    @Override public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        engine.setHandshakeApplicationProtocolSelector(selector);
    }
    @Override public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return engine.getHandshakeApplicationProtocolSelector();
    }
}
