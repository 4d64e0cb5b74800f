package org.pekkogrid.protocol;

import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Addressing of worker slots, shared by the nodes that host them and the head that wakes them.
 * Each slot is a shard of its own, so the allocation strategy places slots one by one.
 */
public final class WorkerSlots {

    public static final EntityTypeKey<SlotCommand> KEY = EntityTypeKey.create(SlotCommand.class, "WorkerSlot");

    private WorkerSlots() {}

    public static String slotId(int n) {
        return "slot-" + n;
    }

    /** The slot's number, or -1 for an id that is not a slot's. */
    public static int slotNumber(String slotId) {
        if (!slotId.startsWith("slot-")) return -1;
        try {
            return Integer.parseInt(slotId.substring(5));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static ShardingMessageExtractor<ShardingEnvelope<SlotCommand>, SlotCommand> extractor() {
        return new ShardingMessageExtractor<>() {
            @Override
            public String entityId(ShardingEnvelope<SlotCommand> envelope) {
                return envelope.entityId();
            }

            @Override
            public String shardId(String entityId) {
                return entityId;
            }

            @Override
            public SlotCommand unwrapMessage(ShardingEnvelope<SlotCommand> envelope) {
                return envelope.message();
            }
        };
    }
}
