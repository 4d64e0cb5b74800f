package org.pekkogrid.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.pekkogrid.protocol.ClientRequest;
import org.pekkogrid.protocol.CounterCommand;
import org.pekkogrid.protocol.CounterReply;
import org.pekkogrid.protocol.CounterValue;
import org.pekkogrid.protocol.Counters;

/**
 * A named counter of the grid, from {@link GridClient#counter(String)}.
 *
 * <pre>{@code
 * CounterValue v = grid.counter("page-views").increment(1).toCompletableFuture().join();
 * }</pre>
 *
 * An increment that gets no answer in time is sent again with the same request id until its
 * deadline, so a lost reply, or the death of the node holding the counter, never counts it
 * twice. Its stage fails with {@link CounterUnavailableException} when the deadline passes, and
 * with {@link IllegalArgumentException} when the counter rejects it (it would overflow).
 *
 * <p>The value an increment completes with says {@code applied = false} only when its request id
 * had been counted before this call (a repeat of an earlier call's id). When a retry of this call
 * is answered "already counted", it was this call's earlier attempt that counted: that is
 * reported as applied. (With a repeated id and a retry both, which call counted cannot be told
 * apart; it is reported as applied, and counted once either way.)
 */
public final class CounterHandle {

    private final String name;
    private final ActorRef<HeadLink.Command> link;
    private final ActorSystem<?> system;
    private final Duration attemptTimeout;
    private final Duration deadline;
    private final Duration retryPause;
    private final RequestIds requestIds = new RequestIds();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong deduplicated = new AtomicLong();

    CounterHandle(String name, ActorRef<HeadLink.Command> link, ActorSystem<?> system) {
        this.name = Counters.checkName(name);
        this.link = link;
        this.system = system;
        var c = system.settings().config().getConfig("grid.client.counter");
        this.attemptTimeout = c.getDuration("attempt-timeout");
        this.deadline = c.getDuration("deadline");
        this.retryPause = c.getDuration("retry-pause");
    }

    public String name() {
        return name;
    }

    /** Adds {@code by} (negative subtracts; never 0) exactly once, with a request id of this handle's making. */
    public CompletionStage<CounterValue> increment(long by) {
        return increment(by, newRequestId());
    }

    /** A request id no other increment of any client has: 64 random bits, then this handle's sequence. */
    public String newRequestId() {
        return requestIds.next();
    }

    /**
     * Adds {@code by} exactly once per {@code requestId}: calling this again with the same id
     * (from this process or another, within the counter's dedup window) does not count again.
     */
    public CompletionStage<CounterValue> increment(long by, String requestId) {
        if (by == 0) throw new IllegalArgumentException("an increment by 0 changes nothing: add a positive number, "
            + "or subtract with a negative one");
        Counters.checkRequestId(requestId);
        return attempt(replyTo -> new CounterCommand.Increment(requestId, by, replyTo), requestId);
    }

    /** The counter's current value (0 for a counter never incremented). */
    public CompletionStage<CounterValue> get() {
        return attempt(CounterCommand.Get::new, null);
    }

    /** Increments of this handle that needed more than one attempt. */
    public long retriedIncrements() {
        return retried.get();
    }

    /**
     * Retried increments that the counter answered "already counted": an earlier attempt had been
     * applied and its answer lost. Without the request id each of these would have counted twice.
     */
    public long deduplicatedRetries() {
        return deduplicated.get();
    }

    private CompletionStage<CounterValue> attempt(Function<ActorRef<CounterReply>, CounterCommand> command,
                                                  String requestId) {
        CompletableFuture<CounterValue> result = new CompletableFuture<>();
        attempt(command, requestId, System.nanoTime() + deadline.toNanos(), 1, "no answer", result);
        return result;
    }

    private void attempt(Function<ActorRef<CounterReply>, CounterCommand> command, String requestId, long deadlineNanos,
                         int attempt, String lastProblem, CompletableFuture<CounterValue> result) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            result.completeExceptionally(new CounterUnavailableException("counter \"" + name + "\" was not reached within "
                + deadline.toSeconds() + "s (" + (attempt - 1) + " attempts; last: " + lastProblem + ")"
                + (requestId == null ? "" : "; the increment may or may not have been applied: send it again with "
                    + "request id " + requestId + " to apply it at most once"), requestId));
            return;
        }
        if (attempt == 2 && requestId != null) retried.incrementAndGet();
        Duration timeout = Duration.ofNanos(Math.min(left, attemptTimeout.toNanos()));
        AskPattern.<HeadLink.Command, CounterReply>ask(link,
                replyTo -> new HeadLink.Send(new ClientRequest.CounterRequest(name, command.apply(replyTo))), timeout,
                system.scheduler())
            .whenComplete((reply, failure) -> {
                if (reply instanceof CounterValue value) {
                    if (requestId != null && attempt > 1 && !value.applied()) {
                        deduplicated.incrementAndGet();
                        value = new CounterValue(value.name(), value.value(), true, value.node());
                    }
                    result.complete(value);
                } else if (reply instanceof CounterReply.Rejected rejected) {
                    result.completeExceptionally(new IllegalArgumentException(
                        "counter \"" + name + "\" rejected the request: " + rejected.reason()));
                } else if (reply instanceof CounterReply.Unavailable unavailable && !unavailable.retryable()) {
                    result.completeExceptionally(new CounterUnavailableException(
                        "counter \"" + name + "\" is unavailable: " + unavailable.reason(), requestId));
                } else if (reply instanceof CounterReply.Unavailable unavailable) {
                    // The same request, once the journal may be back.
                    system.scheduler().scheduleOnce(retryPause,
                        () -> attempt(command, requestId, deadlineNanos, attempt + 1, unavailable.reason(), result),
                        system.executionContext());
                } else if (unwrap(failure) instanceof TimeoutException) {
                    attempt(command, requestId, deadlineNanos, attempt + 1,
                        "no answer within " + timeout.toMillis() + " ms", result);
                } else {
                    result.completeExceptionally(unwrap(failure));
                }
            });
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Override
    public String toString() {
        return "counter " + name;
    }
}
