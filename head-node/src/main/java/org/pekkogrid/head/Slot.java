package org.pekkogrid.head;

import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.pekkogrid.protocol.NodeCapacity;
import org.pekkogrid.protocol.SlotCommand;

/** A registered worker slot as the head sees it: where it runs and what its node offers. */
record Slot(ActorRef<SlotCommand> ref, String slotId, Address node, NodeCapacity capacity) {}
