package org.pekkogrid.protocol;

import org.apache.pekko.actor.NoSerializationVerificationNeeded;

/**
 * A message of a wire protocol's type that an actor only ever sends within its own JVM: to
 * itself ({@code Tick}), to its children or from them ({@code JobRunner.Grant},
 * {@code JobCoordinator.JobFinished}). Bound to {@link LocalOnlySerializer} in pekko-grid.conf,
 * which refuses it both ways, so no peer can forge one and no node can leak one.
 *
 * <p>It extends {@link GridMessage} only so that its binding is the more specific of the two
 * (Pekko picks the most specific binding; two unrelated ones would be a coin toss with a
 * warning). It needs no check under {@code serialize-messages = on}: it never crosses a wire.
 */
public interface LocalOnly extends GridMessage, NoSerializationVerificationNeeded {}
