package org.pekkogrid.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;

/** A submitted job: when the head accepted it, its result, and a way to cancel it. */
public final class JobHandle {

    private final CompletableFuture<String> accepted;
    private final CompletableFuture<JobResult> result;
    private final ActorRef<JobWatcher.Command> watcher;

    JobHandle(CompletableFuture<String> accepted, CompletableFuture<JobResult> result,
              ActorRef<JobWatcher.Command> watcher) {
        this.accepted = accepted;
        this.result = result;
        this.watcher = watcher;
    }

    /** Completes with the job id once the head accepted the job; fails if it was rejected. */
    public CompletionStage<String> accepted() {
        return accepted;
    }

    /** Completes when the job ends, whichever way; never exceptionally. */
    public CompletionStage<JobResult> result() {
        return result;
    }

    /** Asks the head to stop the job; it then ends FAILED with this reason. */
    public void cancel(String reason) {
        watcher.tell(new JobWatcher.Cancel(reason));
    }
}
