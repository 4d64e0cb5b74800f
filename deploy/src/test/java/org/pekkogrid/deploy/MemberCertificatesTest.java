package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** A member's cluster roles against the roles its certificate grants. */
class MemberCertificatesTest {

    @Test
    void aMemberIsWhatItsCertificateGrants() {
        assertNull(MemberCertificates.refusal(Set.of("head", "dc-default", "http-8558"), Set.of(TlsRole.HEAD)));
        assertNull(MemberCertificates.refusal(Set.of("worker", "dc-default", "cpus-2"), Set.of(TlsRole.WORKER)));
    }

    @Test
    void aWorkerCannotClaimToBeAHeadNorAHeadAWorker() {
        assertEquals("it has cluster role head and its certificate grants worker",
            MemberCertificates.refusal(Set.of("head", "dc-default"), Set.of(TlsRole.WORKER)));
        assertEquals("it has cluster role worker and its certificate grants head",
            MemberCertificates.refusal(Set.of("worker"), Set.of(TlsRole.HEAD)));
    }

    @Test
    void aClientCertificateIsNoMemberAtAll() {
        assertEquals("its certificate grants client, which is no member",
            MemberCertificates.refusal(Set.of("dc-default"), Set.of(TlsRole.CLIENT)));
        assertEquals("it has cluster role worker and its certificate grants client",
            MemberCertificates.refusal(Set.of("worker"), Set.of(TlsRole.CLIENT)));
    }
}
