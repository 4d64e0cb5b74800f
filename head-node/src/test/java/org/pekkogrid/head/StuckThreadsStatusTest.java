package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.CoordinatorCommand.GetStatus;
import org.pekkogrid.protocol.CoordinatorCommand.StuckThreads;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.NodeCapacity;
import org.pekkogrid.protocol.Roles;
import org.pekkogrid.protocol.SlotCommand;

/**
 * A worker's stuck threads, as its slots report them, show in the head's status. One node, a
 * member of a cluster of its own as head and as a 2-core worker, runs the coordinator; the
 * worker's slots are played by probes.
 */
class StuckThreadsStatusTest {

    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        List<String> roles = new ArrayList<>(List.of(Roles.HEAD, Roles.WORKER));
        roles.addAll(new NodeCapacity(2, 1L << 30, Set.of()).toRoles());
        testKit = ActorTestKit.create("StuckThreadsStatusTest", GridConfig.forNode(GridConfig.defaults(), roles));
        Cluster cluster = Cluster.get(testKit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aWorkersStuckThreadsShowInTheHeadsStatusUntilTheyComeBack() {
        TestProbe<ShardingEnvelope<SlotCommand>> slotRegion = testKit.createTestProbe();
        ActorRef<CoordinatorCommand> coordinator = testKit.spawn(
            JobCoordinator.create(HeadSettings.from(testKit.system().settings().config()), slotRegion.ref()));
        ActorRef<SlotCommand> slot0 = testKit.<SlotCommand>createTestProbe().ref();
        ActorRef<SlotCommand> slot1 = testKit.<SlotCommand>createTestProbe().ref();
        assertEquals(0, stuckThreads(coordinator));

        coordinator.tell(new StuckThreads(slot0, 1));
        assertEquals(1, stuckThreads(coordinator));
        // Each slot of the node reports the node's count; the last report stands.
        coordinator.tell(new StuckThreads(slot1, 2));
        coordinator.tell(new StuckThreads(slot0, 2));
        assertEquals(2, stuckThreads(coordinator));
        coordinator.tell(new StuckThreads(slot1, 0));
        assertEquals(0, stuckThreads(coordinator));
    }

    private static int stuckThreads(ActorRef<CoordinatorCommand> coordinator) {
        TestProbe<ClusterStatus> reader = testKit.createTestProbe();
        coordinator.tell(new GetStatus(reader.ref()));
        ClusterStatus status = reader.receiveMessage(Duration.ofSeconds(10));
        assertEquals(1, status.members().size(), status.toString());
        ClusterStatus.Member node = status.members().get(0);
        assertEquals(2, node.cores());
        return node.stuckThreads();
    }
}
