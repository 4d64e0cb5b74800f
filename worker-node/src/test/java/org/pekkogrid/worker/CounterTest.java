package org.pekkogrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.journal.JournalPlugins;
import org.pekkogrid.protocol.CounterCommand;
import org.pekkogrid.protocol.CounterCommand.Get;
import org.pekkogrid.protocol.CounterCommand.Increment;
import org.pekkogrid.protocol.CounterReply;
import org.pekkogrid.protocol.CounterValue;

/** One counter on the in-memory journal: exactly once, recovery, bounds. */
class CounterTest {

    private static ActorTestKit testKit;
    private EventSourcedBehaviorTestKit<CounterCommand, Counter.Event, Counter.State> counter;

    @BeforeAll
    static void start() {
        // The grid's wire format (jackson-cbor for GridMessage), on a local actor system.
        Config config = ConfigFactory.parseString("pekko.actor.provider = local")
            .withFallback(EventSourcedBehaviorTestKit.config())
            .withFallback(PersistenceTestKitSnapshotPlugin.config())
            .withFallback(ConfigFactory.parseResources("pekko-grid.conf"))
            .withFallback(ConfigFactory.load());
        testKit = ActorTestKit.create("counter-test", config);
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @AfterEach
    void clear() {
        if (counter != null) counter.clear();
    }

    private void counter(int dedupWindow, int snapshotEvery) {
        CounterSettings settings = new CounterSettings(dedupWindow, snapshotEvery, Duration.ofMinutes(2),
            Duration.ofMillis(200), Duration.ofSeconds(5), 100);
        // Events and commands go through the wire format; the state is a live object whose
        // snapshots are checked on their own below.
        counter = EventSourcedBehaviorTestKit.create(testKit.system(),
            Counter.persistent("visits", settings, JournalPlugins.DEFAULT),
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false).withVerifyEquality(false));
    }

    private CounterReply increment(String requestId, long by) {
        CommandResultWithReply<CounterCommand, Counter.Event, Counter.State, CounterReply> r =
            counter.runCommand(replyTo -> new Increment(requestId, by, replyTo));
        return r.reply();
    }

    private CounterValue value() {
        return (CounterValue) counter.<CounterReply>runCommand(Get::new).reply();
    }

    @Test
    void anIncrementRetriedWithItsRequestIdCountsOnce() {
        counter(10_000, 1000);
        CounterValue first = (CounterValue) increment("r-1", 5);
        assertEquals(5, first.value());
        assertTrue(first.applied());

        CommandResultWithReply<CounterCommand, Counter.Event, Counter.State, CounterReply> retry =
            counter.runCommand(replyTo -> new Increment("r-1", 5, replyTo));
        CounterValue again = (CounterValue) retry.reply();
        assertEquals(5, again.value());
        assertFalse(again.applied(), "a retry is answered, not applied");
        assertTrue(retry.hasNoEvents(), "a retry persists nothing");

        assertEquals(12, ((CounterValue) increment("r-2", 7)).value());
        assertEquals(12, value().value());
    }

    @Test
    void theValueSurvivesARestart() {
        counter(10_000, 1000);
        increment("a", 40);
        increment("b", -3);
        increment("c", 5);
        assertEquals(42, counter.restart().state().value());
        assertEquals(42, value().value());
    }

    @Test
    void requestIdsAreRememberedAcrossARestart() {
        counter(10_000, 1000);
        increment("a", 1);
        increment("b", 2);
        counter.restart();
        CounterValue retry = (CounterValue) increment("a", 1);
        assertFalse(retry.applied(), "the retry of an increment made before the restart");
        assertEquals(3, retry.value());
    }

    @Test
    void requestIdsAreRememberedAcrossARestartFromASnapshot() {
        counter(10_000, 3);
        for (int i = 1; i <= 7; i++) increment("id-" + i, i);
        List<Object> snapshots = counter.snapshotTestKit().orElseThrow().persistedInStorage("Counter|visits").stream()
            .map(p -> p.second()).toList();
        assertEquals(new Counter.Snapshot(21, List.of("id-1", "id-2", "id-3", "id-4", "id-5", "id-6")),
            snapshots.get(snapshots.size() - 1), "the latest snapshot, after 6 increments, holds their ids");
        counter.restart();
        for (int i = 1; i <= 7; i++) {
            CounterValue retry = (CounterValue) increment("id-" + i, i);
            assertFalse(retry.applied(), "id-" + i + " should be remembered");
        }
        assertEquals(28, value().value());
    }

    @Test
    void theDedupWindowKeepsTheNewestRequestIds() {
        counter(3, 2);
        for (int i = 1; i <= 5; i++) increment("id-" + i, 1);
        counter.restart();
        assertEquals(3, counter.getState().remembered());
        assertFalse(((CounterValue) increment("id-4", 1)).applied(), "id-4 is within the last 3");
        assertTrue(((CounterValue) increment("id-1", 1)).applied(), "id-1 fell out of the window of 3");
        assertEquals(6, value().value());
    }

    @Test
    void anIncrementThatWouldOverflowIsRejectedAndChangesNothing() {
        counter(10_000, 1000);
        increment("max", Long.MAX_VALUE);
        CounterReply over = increment("one-more", 1);
        CounterReply.Rejected rejected = assertInstanceOf(CounterReply.Rejected.class, over);
        assertTrue(rejected.reason().contains("64-bit"), rejected.reason());
        assertEquals(Long.MAX_VALUE, value().value());
        assertEquals(Long.MAX_VALUE - 1, ((CounterValue) increment("down", -1)).value(), "negative increments subtract");
        assertEquals(-2, ((CounterValue) increment("min", Long.MIN_VALUE)).value());
        assertInstanceOf(CounterReply.Rejected.class, increment("under", Long.MIN_VALUE));
        assertEquals(-2, value().value());
    }

    @Test
    void zeroIncrementsAndBadRequestIdsAreRejected() {
        counter(10_000, 1000);
        assertInstanceOf(CounterReply.Rejected.class, increment("zero", 0));
        assertInstanceOf(CounterReply.Rejected.class, increment("", 1));
        assertInstanceOf(CounterReply.Rejected.class, increment("has space", 1));
        assertInstanceOf(CounterReply.Rejected.class, increment("x".repeat(65), 1));
        assertEquals(0, value().value());
    }

    @Test
    void aFailedWriteIsNeverAcknowledgedAndTheRestartedCounterHoldsTheJournalsValue() {
        PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
        CounterSettings settings = new CounterSettings(10_000, 1000, Duration.ofMinutes(2),
            Duration.ofMillis(10), Duration.ofMillis(50), 100);
        ActorRef<CounterCommand> counter = testKit.spawn(Counter.persistent("failing", settings, JournalPlugins.DEFAULT));
        TestProbe<CounterReply> probe = testKit.createTestProbe();
        counter.tell(new Increment("a", 5, probe.ref()));
        assertEquals(5, probe.expectMessageClass(CounterValue.class).value());

        journal.failNextPersisted();
        counter.tell(new Increment("b", 2, probe.ref()));
        counter.tell(new Get(probe.ref()));
        CounterValue afterFailure = probe.expectMessageClass(CounterValue.class);
        assertEquals(5, afterFailure.value(), "the failed increment is not counted, and answered with nothing");
        assertEquals(List.of(new Counter.Incremented("a", 5)), journal.persistedInStorage("Counter|failing"));

        counter.tell(new Increment("b", 2, probe.ref()));
        CounterValue retried = probe.expectMessageClass(CounterValue.class);
        assertTrue(retried.applied(), "the retry of a failed increment is applied: it was never stored");
        assertEquals(7, retried.value());
        probe.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void aRejectedWriteIsNeverAcknowledgedAndTheNextIncarnationHoldsTheJournalsValue() {
        PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
        CounterSettings settings = new CounterSettings(10_000, 1000, Duration.ofMinutes(2),
            Duration.ofMillis(10), Duration.ofMillis(50), 100);
        TestProbe<CounterReply> probe = testKit.createTestProbe();
        ActorRef<CounterCommand> counter = testKit.spawn(Counter.persistent("rejecting", settings, JournalPlugins.DEFAULT));
        counter.tell(new Increment("a", 5, probe.ref()));
        assertEquals(5, probe.expectMessageClass(CounterValue.class).value());

        journal.rejectNextPersisted();
        counter.tell(new Increment("b", 2, probe.ref()));
        counter.tell(new Get(probe.ref()));
        // A rejected event stops the counter (sharding starts it again with its next message).
        probe.expectTerminated(counter);
        probe.expectNoMessage(Duration.ofMillis(100));

        ActorRef<CounterCommand> again = testKit.spawn(Counter.persistent("rejecting", settings, JournalPlugins.DEFAULT));
        again.tell(new Get(probe.ref()));
        assertEquals(5, probe.expectMessageClass(CounterValue.class).value());
        assertEquals(List.of(new Counter.Incremented("a", 5)), journal.persistedInStorage("Counter|rejecting"));
    }

    @Test
    void snapshotsTravelInTheWireFormat() {
        SerializationTestKit serialization = new SerializationTestKit(testKit.system());
        Counter.Snapshot snapshot = new Counter.Snapshot(-17, List.of("a", "b-2", "c:3"));
        assertEquals(snapshot, serialization.verifySerialization(snapshot, true));
    }
}
