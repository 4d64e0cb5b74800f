package org.pekkogrid.head;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.DeadLetterSuppression;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.ReportParts;

/**
 * A job's events as server-sent events for the HTTP API: {@code accepted}, {@code queued} while it
 * waits in the head's queue (with its {@code position}), {@code progress} (about every 250 ms
 * while chunks complete), then one of {@code completed}, {@code failed}, {@code cancelled} or
 * {@code not-found}, after which the stream ends. Each event's data is one JSON object.
 *
 * <p>Behind each stream is a listener actor of its own that the job's runner tells, wherever in the
 * cluster the runner is; it stops when the job ends or the HTTP client goes away.
 */
final class JobEventStream {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong STREAMS = new AtomicLong();
    /** Progress events a slow reader may fall behind by; beyond it the oldest are dropped, never the end. */
    private static final int BUFFERED_EVENTS = 256;
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    /** The HTTP client went away. Told after the listener may have stopped, so it is never a dead letter worth logging. */
    private enum StreamEnded implements DeadLetterSuppression { INSTANCE }

    private JobEventStream() {}

    /** The events of this job from now on; the coordinator answers at once for a job that ended. */
    static Source<ServerSentEvent, NotUsed> follow(ActorSystem<?> system, ActorRef<CoordinatorCommand> coordinator,
                                                   String jobId) {
        return Source.<ServerSentEvent>queue(BUFFERED_EVENTS, OverflowStrategy.dropHead())
            .mapMaterializedValue(queue -> {
                ActorRef<Object> listener = system.systemActorOf(listener(queue),
                    "job-events-" + STREAMS.incrementAndGet(), Props.empty());
                queue.watchCompletion().whenComplete((done, failure) -> listener.tell(StreamEnded.INSTANCE));
                coordinator.tell(new CoordinatorCommand.FollowJob(jobId, listener.narrow()));
                return NotUsed.getInstance();
            })
            // Proxies close idle connections; a comment line now and then keeps a long job's stream open.
            .keepAlive(HEARTBEAT, ServerSentEvent::heartbeat);
    }

    private static Behavior<Object> listener(SourceQueueWithComplete<ServerSentEvent> queue) {
        ReportParts parts = new ReportParts();
        return Behaviors.receive(Object.class)
            .onMessage(StreamEnded.class, m -> Behaviors.stopped())
            .onMessage(JobEvent.ReportPart.class, part -> {
                parts.add(part);
                return Behaviors.same();
            })
            .onMessage(JobEvent.Timings.class, t -> Behaviors.same())
            .onMessage(JobEvent.class, event -> {
                queue.offer(toSse(event, parts));
                boolean end = event instanceof JobEvent.Completed || event instanceof JobEvent.Failed
                    || event instanceof JobEvent.Cancelled || event instanceof JobEvent.NotFound || event instanceof JobEvent.Rejected;
                if (!end) return Behaviors.same();
                queue.complete();
                return Behaviors.stopped();
            })
            .build();
    }

    static ServerSentEvent toSse(JobEvent event, ReportParts parts) {
        return ServerSentEvent.create(json(event, parts).toString(), type(event));
    }

    /** The SSE event's name. */
    private static String type(JobEvent event) {
        if (event instanceof JobEvent.Accepted) return "accepted";
        if (event instanceof JobEvent.Queued) return "queued";
        if (event instanceof JobEvent.Progress) return "progress";
        if (event instanceof JobEvent.Completed) return "completed";
        if (event instanceof JobEvent.Failed) return "failed";
        if (event instanceof JobEvent.Cancelled) return "cancelled";
        if (event instanceof JobEvent.Rejected) return "rejected";
        return "not-found";
    }

    /** The event's data: one JSON object, its report (if any) whole again. */
    static ObjectNode json(JobEvent event, ReportParts parts) {
        ObjectNode o = JSON.createObjectNode();
        o.put("job", event.jobId());
        if (event instanceof JobEvent.Accepted a) {
            o.put("workload", a.workload());
            o.put("chunks", a.chunks());
            o.put("requires", a.requires().toString());
        } else if (event instanceof JobEvent.Queued q) {
            o.put("position", q.position());
        } else if (event instanceof JobEvent.Progress p) {
            o.put("chunksDone", p.chunksDone());
            o.put("chunksTotal", p.chunksTotal());
            o.put("retries", p.retries());
            o.put("failedItems", p.failedItems());
            o.put("elapsedMillis", p.elapsedMillis());
            o.put("slots", p.slots());
        } else if (event instanceof JobEvent.Completed c) {
            o.put("state", "COMPLETED");
            o.set("result", c.result());
            o.put("summary", c.summary());
            o.set("report", JSON.valueToTree(parts.complete(c.report())));
        } else if (event instanceof JobEvent.Failed f) {
            o.put("state", "FAILED");
            o.put("error", f.reason());
            o.set("report", JSON.valueToTree(parts.complete(f.report())));
        } else if (event instanceof JobEvent.Cancelled c) {
            o.put("state", "CANCELLED");
            o.put("error", c.reason());
            if (c.report() != null) o.set("report", JSON.valueToTree(parts.complete(c.report())));
        } else if (event instanceof JobEvent.Rejected r) {
            o.put("error", r.reason());
        } else if (event instanceof JobEvent.NotFound n) {
            o.put("error", n.reason());
        }
        return o;
    }
}
