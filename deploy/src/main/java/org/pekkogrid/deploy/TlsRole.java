package org.pekkogrid.deploy;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a grid certificate lets its holder be. {@code grid certs issue --role} writes it into the
 * certificate as a subject alternative name {@code urn:pekko-grid:role:<role>} (and as the
 * subject's OU, for people reading it with openssl); nodes read it from there, never from a flag.
 */
enum TlsRole {
    HEAD, WORKER, CLIENT;

    static final String URI_PREFIX = "urn:pekko-grid:role:";
    /** GeneralName type of a URI in X509Certificate#getSubjectAlternativeNames. */
    private static final int SAN_URI = 6;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    String uri() {
        return URI_PREFIX + label();
    }

    static TlsRole parse(String role) {
        for (TlsRole r : values()) if (r.label().equals(role)) return r;
        throw new IllegalArgumentException("unknown role \"" + role + "\"; known: head, worker, client");
    }

    /** The roles the certificate grants: none for a certificate not issued by grid certs. */
    static Set<TlsRole> of(X509Certificate certificate) {
        Set<TlsRole> roles = EnumSet.noneOf(TlsRole.class);
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) return roles;
            for (List<?> name : names) {
                if (((Integer) name.get(0)) != SAN_URI) continue;
                String uri = String.valueOf(name.get(1));
                if (!uri.startsWith(URI_PREFIX)) continue;
                for (TlsRole r : values()) if (r.uri().equals(uri)) roles.add(r);
            }
        } catch (CertificateParsingException e) {
            // an unparsable extension grants nothing
        }
        return roles;
    }

    /**
     * Whether a node of this role talks with a peer of {@code peer}'s role at all, whoever opened
     * the connection. Heads talk with everyone (clients reach their gateway, and heads send job
     * events back to the client's address); workers only with members; clients only with heads.
     */
    boolean talksWith(TlsRole peer) {
        return switch (this) {
            case HEAD -> true;
            case WORKER -> peer == HEAD || peer == WORKER;
            case CLIENT -> peer == HEAD;
        };
    }
}
