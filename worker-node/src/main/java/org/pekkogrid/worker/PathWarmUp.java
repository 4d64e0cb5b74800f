package org.pekkogrid.worker;

import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.pekkogrid.protocol.JobTicket;
import org.pekkogrid.protocol.RunnerCommand;
import org.pekkogrid.protocol.RunnerCommand.ChunkResults;
import org.pekkogrid.protocol.SlotCommand.RunChunks;

/**
 * Runs, before the node says it is ready, what every batch goes through on a worker apart from
 * its kernel: the batch read off the wire (this node's own serializer), run chunk by chunk by a
 * {@link BatchRun}, its results written for the wire. A worker that has just started otherwise
 * compiles that path during its first job, on the cores that job's chunks need: measured, about
 * 1,400 methods compiled in a first job, and the job at a third of the machine's ceiling.
 */
final class PathWarmUp {

    private static final int CHUNKS_PER_BATCH = 64;

    private PathWarmUp() {}

    /**
     * Round trips of noop batches for about {@code budget}, at least a few hundred.
     *
     * @return the round trips made, each checked
     */
    static long run(ActorSystem<?> system, Duration budget) {
        if (budget.isZero() || budget.isNegative()) return 0;
        Serialization serialization = SerializationExtension.get(Adapter.toClassic(system));
        ActorRef<RunnerCommand> nobody = system.deadLetters();
        JobBindings bindings = new JobBindings(1);
        JobTicket ticket = new JobTicket("warm-up", "noop", Map.of(), 1L << 40, Duration.ofSeconds(60));
        long deadline = System.nanoTime() + budget.toNanos();
        long rounds = 0;
        while (rounds < 300 || System.nanoTime() < deadline) {
            RunChunks batch = new RunChunks(ticket, rounds, rounds,
                new long[] {rounds * CHUNKS_PER_BATCH, CHUNKS_PER_BATCH}, new int[0], null, nobody);
            RunChunks received = roundTrip(serialization, batch);
            ChunkResults results = roundTrip(serialization,
                new BatchRun(received, System.nanoTime(), "warm-up", bindings).run().withDemand(1));
            if (results.runNanos().length != CHUNKS_PER_BATCH || !results.errors().isEmpty()) {
                throw new IllegalStateException("the warm-up batch came back as " + results);
            }
            rounds++;
        }
        return rounds;
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(Serialization serialization, T message) {
        Serializer serializer = serialization.findSerializerFor(message);
        byte[] bytes = serialization.serialize(message).get();
        String manifest = Serializers.manifestFor(serializer, message);
        return (T) serialization.deserialize(bytes, serializer.identifier(), manifest).get();
    }
}
