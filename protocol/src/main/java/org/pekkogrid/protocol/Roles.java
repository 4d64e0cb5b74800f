package org.pekkogrid.protocol;

/** Cluster roles of pekko-grid nodes. */
public final class Roles {
    /** Hosts the job coordinator singleton. */
    public static final String HEAD = "head";
    /** Hosts worker slots (sharded entities) that run chunks. */
    public static final String WORKER = "worker";

    private Roles() {}
}
