package org.pekkogrid.workloads.grayscale;

import nu.pattern.OpenCV;
import org.opencv.core.Core;

/**
 * Loads OpenCV's natives once per JVM, on first use. The holder idiom makes the JVM's class
 * initialisation do the locking, so the grid's slot threads can all call {@link #load} at once.
 */
public final class OpenCv {

    private OpenCv() {}

    private static final class Holder {
        static final Throwable FAILURE = loadOnce();

        private static Throwable loadOnce() {
            try {
                OpenCV.loadLocally();
                // The grid runs one chunk per core; OpenCV's own pool would double-book them.
                // The pthreads backend of this build makes the setting process-wide.
                Core.setNumThreads(1);
                return null;
            } catch (Throwable t) {  // UnsatisfiedLinkError is an Error, and it must not kill the slot
                return t;
            }
        }
    }

    /** Makes sure the natives are loaded; throws once per call when this node cannot load them. */
    public static void load() {
        Throwable failure = Holder.FAILURE;
        if (failure != null) {
            throw new IllegalStateException("OpenCV natives cannot be loaded on this node (" + failure
                + "); run image jobs on nodes that advertise the opencv tag, and drop that tag here", failure);
        }
    }

    /** Whether this node can run OpenCV: what a node probes before advertising the {@code opencv} tag. */
    public static boolean available() {
        return Holder.FAILURE == null;
    }
}
