package org.pekkogrid.head;

import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.pekkogrid.protocol.JobEvent;

/**
 * The listener of a job submitted with {@code POST /v1/jobs}: it answers the request with the
 * coordinator's first word (Accepted or Rejected), then stays to hear the job out, so that the
 * runner's later events reach a live actor rather than the dead letters.
 */
final class HttpSubmission {

    private HttpSubmission() {}

    static Behavior<JobEvent> create(CompletableFuture<JobEvent> answer) {
        return Behaviors.receive(JobEvent.class)
            .onAnyMessage(event -> {
                answer.complete(event);
                boolean ended = event instanceof JobEvent.Rejected || event instanceof JobEvent.Completed
                    || event instanceof JobEvent.Failed || event instanceof JobEvent.Cancelled
                    || event instanceof JobEvent.NotFound;
                return ended ? Behaviors.stopped() : Behaviors.same();
            })
            .build();
    }
}
