package org.pekkogrid.head;

import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.pekkogrid.protocol.NodeCapacity;
import org.pekkogrid.protocol.SlotCommand;

/**
 * A registered worker slot as the head sees it: where it runs and what its node offers.
 *
 * @param largeInbox where batches of travelling chunks go (Artery's large-message channel)
 */
record Slot(ActorRef<SlotCommand> ref, ActorRef<SlotCommand> largeInbox, String slotId, Address node,
            NodeCapacity capacity) {}
