package org.pekkogrid.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.pekkogrid.client.CounterHandle;
import org.pekkogrid.protocol.CounterValue;

/**
 * One client's stream of increments with random amounts, a few in flight at a time, adding up
 * what the counter acknowledged. Stops after {@code limit} increments or when told to.
 */
final class Increments {

    private final CounterHandle counter;
    private final Random random;
    private final Semaphore inFlight;
    private final long limit;
    private final Consumer<CounterValue> onAck;
    private final AtomicLong acknowledgedSum = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<CompletableFuture<?>> pending = new ArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    Increments(CounterHandle counter, long seed, int inFlight, long limit, Consumer<CounterValue> onAck) {
        this.counter = counter;
        this.random = new Random(seed);
        this.inFlight = new Semaphore(inFlight);
        this.limit = limit;
        this.onAck = onAck;
    }

    /** Runs on a thread of its own; {@link #done()} completes when every increment sent has an answer. */
    Increments start() {
        Thread t = new Thread(this::run, "increments-" + counter.name());
        t.setDaemon(true);
        t.start();
        return this;
    }

    private void run() {
        try {
            for (long i = 0; i < limit && !stop.get(); i++) {
                inFlight.acquire();
                long by = amount();
                // The stage after the bookkeeping, so that done() completes only once every sum is in.
                CompletableFuture<CounterValue> f = counter.increment(by).toCompletableFuture()
                    .whenComplete((v, failure) -> {
                        if (v != null) {
                            acknowledgedSum.addAndGet(by);
                            acknowledged.incrementAndGet();
                            if (!v.applied()) {
                                done.completeExceptionally(new AssertionError("increment " + v + " of a fresh request "
                                    + "id was reported as counted before this call"));
                            }
                            onAck.accept(v);
                        }
                        inFlight.release();
                    });
                synchronized (pending) {
                    pending.add(f);
                }
            }
            CompletableFuture<?>[] all;
            synchronized (pending) {
                all = pending.toArray(CompletableFuture[]::new);
            }
            CompletableFuture.allOf(all).whenComplete((ok, failure) -> {
                if (failure != null) done.completeExceptionally(failure);
                else done.complete(null);
            });
        } catch (Throwable t) {
            done.completeExceptionally(t);
        }
    }

    /** Random amounts from -1000 to 1000, never 0, some of them large. */
    private long amount() {
        long by = random.nextInt(2000) - 999;
        if (by <= 0) by--;
        return random.nextInt(50) == 0 ? by * 1_000_000_007L : by;
    }

    void stop() {
        stop.set(true);
    }

    CompletableFuture<Void> done() {
        return done;
    }

    long acknowledgedSum() {
        return acknowledgedSum.get();
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** Increments that needed more than one attempt (their first answer was lost or late). */
    long retried() {
        return counter.retriedIncrements();
    }

    /** Retried increments the counter recognised as already applied (each would otherwise count twice). */
    long deduplicated() {
        return counter.deduplicatedRetries();
    }
}
