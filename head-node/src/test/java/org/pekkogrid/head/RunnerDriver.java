package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.pekkogrid.head.RunnerRig.FakeSlot;
import org.pekkogrid.head.RunnerRig.Seen;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.SlotCommand;
import org.pekkogrid.protocol.SlotCommand.DropJob;
import org.pekkogrid.protocol.SlotCommand.RunChunks;

/**
 * Plays the slots and the coordinator's credit book around a runner until its job ends. Slots
 * answer their batches in a seeded random order, each result asking for one more batch (the
 * credit the batch frees, as a {@code WorkerSlot} does). The coordinator parks credit a runner
 * hands back and lends it again when the runner says it has work, as {@code JobCoordinator}
 * does. Along the way it checks, for every slot, that the runner never sent more batches than
 * the credit it was given, never held more than a slot's prefetch, and never kept more slots
 * of a node busy than the node's cores.
 */
final class RunnerDriver {

    /** The credit one slot gave the runner, and what became of it. */
    static final class Book {
        final FakeSlot slot;
        final ArrayDeque<RunChunks> unanswered = new ArrayDeque<>();
        int given;
        int received;
        int answered;
        int returned;
        int parked;
        boolean lentOut;
        int lent;
        /** A grant still out when the job ended: the runner never read it. */
        int unreadGrant;
        boolean dropped;
        int mostHeld;

        Book(FakeSlot slot) {
            this.slot = slot;
        }

        int held() {
            return received - answered;
        }

        @Override
        public String toString() {
            return slot + "{given " + given + ", received " + received + ", answered " + answered + ", returned "
                + returned + ", parked " + parked + ", unread grant " + unreadGrant + "}";
        }
    }

    private final RunnerRig rig;
    private final Random random;
    private final int prefetch;
    private final Map<ActorRef<SlotCommand>, Book> books = new LinkedHashMap<>();
    private final Map<Address, Integer> cores = new LinkedHashMap<>();
    private final BitSet dispatched = new BitSet();
    final Map<JobRunner.Decline, Integer> declines = new EnumMap<>(JobRunner.Decline.class);
    JobEvent outcome;
    JobCoordinator.JobFinished finished;
    int batchesAnswered;
    int grants;
    int redispatched;

    RunnerDriver(RunnerRig rig, List<FakeSlot> slots, int prefetch, long seed) {
        this.rig = rig;
        this.prefetch = prefetch;
        this.random = new Random(seed);
        for (FakeSlot s : slots) {
            books.put(s.ref(), new Book(s));
            cores.merge(s.node(), s.slot.capacity().cores(), (a, b) -> a);
        }
    }

    Book book(FakeSlot slot) {
        return books.get(slot.ref());
    }

    List<Book> books() {
        return new ArrayList<>(books.values());
    }

    /** Each slot asks for {@code prefetch} batches, and the coordinator lends them all to this job. */
    RunnerDriver grantAll() {
        for (Book b : books.values()) lend(b, prefetch);
        return this;
    }

    private void lend(Book b, int batches) {
        b.given += batches;
        b.lentOut = true;
        b.lent = batches;
        grants++;
        rig.grant(b.slot, batches, books.size(), cores.size());
    }

    /** Runs until the job ended and every slot that had batches was told to drop the job. */
    RunnerDriver run() {
        try {
            loop();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; driver: " + this, e);
        }
        return this;
    }

    @Override
    public String toString() {
        return "answered " + batchesAnswered + " batches, " + grants + " grants, " + chunksDispatched()
            + " chunks dispatched, declines " + declines + ", outcome " + (outcome == null ? "none" : outcome.getClass().getSimpleName())
            + ", books " + books.values();
    }

    /** Runs until {@code stop} holds (a head that dies mid-job), or the job ended. */
    RunnerDriver runUntil(java.util.function.Predicate<RunnerDriver> stop) {
        this.stop = stop;
        return run();
    }

    private java.util.function.Predicate<RunnerDriver> stop = d -> false;

    private void loop() {
        while (!ended() && !stop.test(this)) {
            List<Book> busy = new ArrayList<>();
            for (Book b : books.values()) if (!b.unanswered.isEmpty()) busy.add(b);
            if (!busy.isEmpty() && (rig.nothingWaiting() || random.nextInt(3) > 0)) {
                Book b = busy.get(random.nextInt(busy.size()));
                RunChunks batch = b.unanswered.poll();
                b.answered++;
                b.given++;  // the result carries the credit the batch frees
                batchesAnswered++;
                rig.answer(b.slot, batch, 1);
            } else {
                handle(rig.next());
            }
        }
    }

    private boolean ended() {
        if (outcome == null || finished == null) return false;
        for (Book b : books.values()) if (b.received > 0 && !b.dropped) return false;
        for (Book b : books.values()) if (b.lentOut) b.unreadGrant = b.lent;
        return true;
    }

    private void handle(Seen seen) {
        if (seen.message() instanceof RunChunks batch) {
            Book b = bookNamed(seen.to());
            b.received++;
            b.unanswered.add(batch);
            b.mostHeld = Math.max(b.mostHeld, b.held());
            for (long c : RunnerRig.chunksOf(batch)) {
                if (dispatched.get((int) c)) redispatched++;
                dispatched.set((int) c);
            }
            checkCredit(b);
            checkNodes();
        } else if (seen.message() instanceof DropJob) {
            bookNamed(seen.to()).dropped = true;
        } else if (seen.message() instanceof JobCoordinator.GrantDone done) {
            Book b = books.get(done.slot());
            b.returned += done.unused();
            b.parked += done.unused();
            if (!done.fresh()) b.lentOut = false;
            if (done.unused() > 0) declines.merge(done.decline(), 1, Integer::sum);
            checkCredit(b);
        } else if (seen.message() instanceof JobCoordinator.WorkAvailable) {
            if (outcome == null) {
                for (Book b : books.values()) {
                    if (b.parked > 0 && !b.lentOut) {
                        int batches = b.parked;
                        b.parked = 0;
                        lend(b, batches);
                    }
                }
            }
        } else if (seen.message() instanceof JobBook.Checkpoint checkpoint) {
            checkpoints.add(checkpoint.progress());
        } else if (seen.message() instanceof JobCoordinator.JobFinished jobFinished) {
            finished = jobFinished;
        } else if (seen.message() instanceof JobEvent.ReportPart part) {
            reportRows += part.chunkRows().size();
            reportParts++;
        } else if (seen.message() instanceof JobEvent.Completed || seen.message() instanceof JobEvent.Failed) {
            outcome = (JobEvent) seen.message();
            // A short series travels inside the final event's report.
            JobReport report = outcome instanceof JobEvent.Completed c ? c.report() : ((JobEvent.Failed) outcome).report();
            if (report != null) reportRows += report.chunkRows().size();
        } else if (!(seen.message() instanceof JobEvent.Accepted || seen.message() instanceof JobEvent.Progress
                || seen.message() instanceof JobCoordinator.ChunksDone)) {
            fail("unexpected " + seen);
        }
    }

    /** The checkpoints the runner wrote to its journal, in order. */
    final List<JobProgress.Saved> checkpoints = new ArrayList<>();

    /** Per-chunk rows the runner sent ahead of its final event. */
    long reportRows;

    /** Messages that carried the report's long lists ahead of the final event. */
    int reportParts;

    private Book bookNamed(String name) {
        for (Book b : books.values()) if (b.slot.name.equals(name)) return b;
        throw new AssertionError("no slot " + name);
    }

    /**
     * What was observed lags what the runner did, and results were sent before the runner read
     * them, so these bounds hold at every observation exactly when they hold for the runner.
     */
    private void checkCredit(Book b) {
        assertTrue(b.received + b.returned <= b.given,
            "the runner used or returned more credit than it was given: " + b);
        assertTrue(b.held() <= prefetch, "the runner sent a slot more than its prefetch: " + b);
    }

    private void checkNodes() {
        Map<Address, Integer> busy = new LinkedHashMap<>();
        for (Book b : books.values()) if (b.held() > 0) busy.merge(b.slot.node(), 1, Integer::sum);
        busy.forEach((node, n) -> assertTrue(n <= cores.get(node),
            n + " slots of " + node + " hold batches; it has " + cores.get(node) + " cores"));
    }

    /** Every chunk dispatched at least once. */
    int chunksDispatched() {
        return dispatched.cardinality();
    }
}
