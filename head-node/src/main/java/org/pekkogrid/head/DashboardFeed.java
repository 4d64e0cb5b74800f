package org.pekkogrid.head;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The dashboard's latest tick, shared by every page that watches: the {@link DashboardHub} works
 * once a tick for all of them, and not at all while no page is open. Each page's stream sends a
 * tick it has not sent yet, once every tick interval.
 */
final class DashboardFeed {

    private record Tick(long number, String json) {}

    private final AtomicReference<Tick> latest = new AtomicReference<>();
    private final AtomicInteger watchers = new AtomicInteger();
    private final Duration interval;

    DashboardFeed(Duration interval) {
        this.interval = interval;
    }

    Duration interval() {
        return interval;
    }

    /** Pages watching now. */
    int watchers() {
        return watchers.get();
    }

    void publish(String tickJson) {
        latest.updateAndGet(t -> new Tick(t == null ? 1 : t.number() + 1, tickJson));
    }

    /** Nobody watches: the next page must not see a tick from before it opened. */
    void clear() {
        latest.set(null);
    }

    /** The ticks as server-sent events named {@code tick}, each one JSON object, while the page stays. */
    Source<ServerSentEvent, NotUsed> events() {
        return Source.tick(Duration.ZERO, interval.dividedBy(4), "")
            .statefulMapConcat(() -> {
                long[] sent = {0};
                return ignored -> {
                    Tick t = latest.get();
                    if (t == null || t.number() == sent[0]) return List.<ServerSentEvent>of();
                    sent[0] = t.number();
                    return List.of(ServerSentEvent.create(t.json(), "tick"));
                };
            })
            .watchTermination((cancellable, done) -> {
                watchers.incrementAndGet();
                done.whenComplete((ok, failure) -> watchers.decrementAndGet());
                return NotUsed.getInstance();
            });
    }
}
