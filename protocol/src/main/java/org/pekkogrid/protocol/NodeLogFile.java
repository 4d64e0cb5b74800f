package org.pekkogrid.protocol;

import java.util.List;
import java.util.Set;

/**
 * The file a node logs to besides stderr ({@code --log-dir}). Like {@link NodeEndpoints} it
 * travels as a cluster role, {@code grid-log=/var/log/grid/head-2551.log}, so that
 * {@code grid status} says where each node logs with no extra protocol.
 */
public final class NodeLogFile {

    private static final String ROLE = "grid-log=";

    private NodeLogFile() {}

    /** The role that advertises {@code file}; none for a node that logs to stderr only (null). */
    public static List<String> toRoles(String file) {
        return file == null || file.isBlank() ? List.of() : List.of(ROLE + file);
    }

    /** The file a member advertises, or null when it logs to stderr only. */
    public static String fromRoles(Set<String> roles) {
        for (String role : roles) {
            if (role.startsWith(ROLE) && role.length() > ROLE.length()) return role.substring(ROLE.length());
        }
        return null;
    }
}
