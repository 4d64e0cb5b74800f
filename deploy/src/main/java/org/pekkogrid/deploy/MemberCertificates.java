package org.pekkogrid.deploy;

import java.util.Set;
import org.pekkogrid.protocol.Roles;

/**
 * Whether a member's cluster roles are the ones its certificate grants: a member with role head
 * needs a head certificate, one with role worker a worker certificate, and a client certificate
 * makes no member at all. Other roles (dc-..., metrics-..., http-...) are the node's own business.
 */
final class MemberCertificates {

    private MemberCertificates() {}

    /** Why a member with {@code clusterRoles} and a certificate granting {@code granted} may not be one, or null. */
    static String refusal(Set<String> clusterRoles, Set<TlsRole> granted) {
        if (clusterRoles.contains(Roles.HEAD) && !granted.contains(TlsRole.HEAD)) {
            return "it has cluster role head and its certificate grants " + describe(granted);
        }
        if (clusterRoles.contains(Roles.WORKER) && !granted.contains(TlsRole.WORKER)) {
            return "it has cluster role worker and its certificate grants " + describe(granted);
        }
        if (!granted.contains(TlsRole.HEAD) && !granted.contains(TlsRole.WORKER)) {
            return "its certificate grants " + describe(granted) + ", which is no member";
        }
        return null;
    }

    private static String describe(Set<TlsRole> roles) {
        return roles.isEmpty() ? "no role" : String.join(", ", roles.stream().map(TlsRole::label).sorted().toList());
    }
}
