package org.pekkogrid.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A submitted job: when the head accepted it, its result, and a way to cancel it. */
public final class JobHandle {

    private final CompletableFuture<String> accepted;
    private final CompletableFuture<JobResult> result;
    private final Consumer<String> cancel;

    JobHandle(CompletableFuture<String> accepted, CompletableFuture<JobResult> result, Consumer<String> cancel) {
        this.accepted = accepted;
        this.result = result;
        this.cancel = cancel;
    }

    /** A job refused before it reached a head (its workload jar could not be sent): REJECTED with {@code reason}. */
    static JobHandle rejected(String workload, String reason) {
        return new JobHandle(CompletableFuture.failedFuture(new IllegalArgumentException(reason)),
            CompletableFuture.completedFuture(new JobResult(null, workload, JobResult.Status.REJECTED, null, null, reason,
                null, 0)),
            why -> { });
    }

    /** Completes with the job id once the head accepted the job; fails if it was rejected. */
    public CompletionStage<String> accepted() {
        return accepted;
    }

    /** Completes when the job ends, whichever way; never exceptionally. */
    public CompletionStage<JobResult> result() {
        return result;
    }

    /** Asks the head to stop the job; it then ends CANCELLED with this reason. */
    public void cancel(String reason) {
        cancel.accept(reason);
    }
}
