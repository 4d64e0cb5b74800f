package org.pekkogrid.head;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.pekkogrid.protocol.CoordinatorCommand;

/**
 * The live web dashboard the head serves beside its API: the page at {@code /} with its scripts
 * under {@code /dashboard/} (static files from the jar: they hold no data, so they need no token),
 * and {@code GET /v1/dashboard/events}, a server-sent event {@code tick} every
 * {@code grid.http.dashboard-tick} with the members and the jobs (behind the API's token, like
 * the rest of {@code /v1}). The page reads each job's full report from {@code GET /v1/jobs/{id}}.
 */
final class Dashboard extends AllDirectives {

    private final DashboardFeed feed;

    private Dashboard(DashboardFeed feed) {
        this.feed = feed;
    }

    static Dashboard start(ActorSystem<?> system, ActorRef<CoordinatorCommand> coordinator, Duration askTimeout) {
        DashboardFeed feed = new DashboardFeed(system.settings().config().getDuration("grid.http.dashboard-tick"));
        system.systemActorOf(DashboardHub.create(coordinator, feed, askTimeout), "dashboard", Props.empty());
        return new Dashboard(feed);
    }

    /** The page and its assets, for anyone: the data they show comes through {@link #events} and the API. */
    Route page() {
        return get(() -> concat(
            pathSingleSlash(() -> getFromResource("dashboard/index.html")),
            path("index.html", () -> getFromResource("dashboard/index.html")),
            pathPrefix("dashboard", () -> getFromResourceDirectory("dashboard"))));
    }

    /** The ticks, for callers the API admits. */
    Route events() {
        return path(PathMatchers.segment("v1").slash("dashboard").slash("events"), () -> get(() ->
            completeOK(feed.events(), EventStreamMarshalling.toEventStream())));
    }
}
