package org.pekkogrid.framingpatch;

/**
 * Marks pekko-grid's {@code org.apache.pekko.remote.artery.tcp.TcpFraming}, the one that bounds frame
 * lengths: pekko-remote 1.7.0's class of the same name does not implement it, which is how
 * {@link FramingPatchCheck} tells which of the two was loaded.
 */
public interface BoundedFraming {}
