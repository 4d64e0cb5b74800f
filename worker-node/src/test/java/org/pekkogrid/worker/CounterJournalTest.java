package org.pekkogrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.journal.GridJournal;
import org.pekkogrid.protocol.CounterCommand;
import org.pekkogrid.protocol.CounterReply;
import org.pekkogrid.protocol.CounterValue;

/**
 * Counters on the local journal (an H2 file made on first use: see the journal module's tests):
 * their values outlive their actor system, and another grid on the same file is refused.
 */
class CounterJournalTest {

    /** The first answer waits for the H2 file to open: seconds on a loaded machine, not the testkit's 3. */
    private static final java.time.Duration OPENING = java.time.Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Config config(Path dataDir) {
        return ConfigFactory.parseMap(Map.of("grid.data-dir", dataDir.toString(), "pekko.actor.provider", "local"))
            .withFallback(ConfigFactory.parseResources("pekko-grid.conf"))
            .withFallback(ConfigFactory.load());
    }

    @Test
    void aCounterOnTheLocalJournalOutlivesItsActorSystem() {
        Path data = dir.resolve("data");
        CounterSettings settings = CounterSettings.from(config(data));
        ActorTestKit first = ActorTestKit.create("journal-first", config(data));
        try {
            TestProbe<CounterReply> probe = first.createTestProbe();
            ActorRef<CounterCommand> counter =
                first.spawn(Counter.create("hits", settings, GridJournal.get(first.system())));
            counter.tell(new CounterCommand.Increment("a", 40, probe.ref()));
            counter.tell(new CounterCommand.Increment("b", 2, probe.ref()));
            assertEquals(40, ((CounterValue) probe.receiveMessage(OPENING)).value());
            assertEquals(42, ((CounterValue) probe.receiveMessage(OPENING)).value());

            // A second counter finds the journal open.
            ActorRef<CounterCommand> other =
                first.spawn(Counter.create("misses", settings, GridJournal.get(first.system())));
            other.tell(new CounterCommand.Increment("a", 7, probe.ref()));
            CounterValue misses = (CounterValue) probe.receiveMessage(OPENING);
            assertEquals("misses", misses.name());
            assertEquals(7, misses.value(), "request ids belong to one counter: \"a\" is new to this one");

            // Another grid (here: another actor system that is no member of this one) on the same file.
            ActorTestKit intruder = ActorTestKit.create("journal-intruder", config(data));
            try {
                TestProbe<CounterReply> refused = intruder.createTestProbe();
                intruder.spawn(Counter.create("hits", settings, GridJournal.get(intruder.system())))
                    .tell(new CounterCommand.Increment("c", 1, refused.ref()));
                CounterReply.Unavailable no = refused.expectMessageClass(CounterReply.Unavailable.class, OPENING);
                assertFalse(no.retryable(), "retrying cannot help while the other grid runs");
                assertTrue(no.reason().contains(data.resolve("counters") + ".mv.db") && no.reason().contains("another grid"),
                    no.reason());
            } finally {
                intruder.shutdownTestKit();
            }
        } finally {
            first.shutdownTestKit();
        }
        ActorTestKit second = ActorTestKit.create("journal-second", config(data));
        try {
            TestProbe<CounterReply> probe = second.createTestProbe();
            ActorRef<CounterCommand> counter =
                second.spawn(Counter.create("hits", settings, GridJournal.get(second.system())));
            counter.tell(new CounterCommand.Increment("a", 40, probe.ref()));
            CounterValue retried = assertInstanceOf(CounterValue.class, probe.receiveMessage(OPENING));
            assertFalse(retried.applied(), "request id a was applied by the first system");
            assertEquals(42, retried.value(), "and nothing of the refused grid's increment was counted");
        } finally {
            second.shutdownTestKit();
        }
    }
}
