package org.pekkogrid.client;

/**
 * Starts an embedded grid (a head and worker nodes in this JVM) for {@link GridClient#local}.
 * Implemented by pekko-grid's deploy module and found with {@link java.util.ServiceLoader}, so
 * the client module needs no head or worker classes.
 */
public interface LocalGridProvider {

    /** An embedded grid; closing it stops every node it started. */
    interface LocalGrid extends AutoCloseable {
        GridClient client();

        @Override
        void close();
    }

    LocalGrid start(int workerNodes, int coresPerNode);
}
