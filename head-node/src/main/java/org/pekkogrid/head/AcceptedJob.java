package org.pekkogrid.head;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.pekkogrid.protocol.CoordinatorCommand.SubmitJob;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobTicket;
import org.pekkogrid.protocol.Requirements;
import org.pekkogrid.workloads.BoundJob;

/**
 * A job validated and bound that has not started: being stored in the journal, or waiting in
 * the queue. It holds what its runner needs to start.
 *
 * @param checkpoint       what a resumed job goes on from; null for a job accepted now, or resumed before its first
 * @param acceptedAtMillis when a resumed job was first accepted, wall-clock; 0 for a job accepted now
 * @param followers        who asked to hear its events besides its client
 * @param firstAcceptedMillis when a head first accepted it, wall clock: for status
 */
record AcceptedJob(SubmitJob submit, String jobId, BoundJob<?, ?, ?, ?> job, Requirements requires, JobTicket ticket,
                   int maxRetries, JobProgress.Saved checkpoint, long acceptedAtMillis,
                   List<ActorRef<JobEvent>> followers, long firstAcceptedMillis) {

    String workload() {
        return submit.spec().workload();
    }

    boolean resumed() {
        return acceptedAtMillis > 0;
    }

    /** Who the job counts against for the per-client limits. */
    Object client() {
        return clientOf(submit.session(), submit.replyTo());
    }

    /** Its client, and those who follow it. */
    List<ActorRef<JobEvent>> listeners() {
        if (followers.isEmpty()) return List.of(submit.replyTo());
        List<ActorRef<JobEvent>> all = new ArrayList<>(followers.size() + 1);
        all.add(submit.replyTo());
        all.addAll(followers);
        return all;
    }

    /**
     * Who submitted it, for status: the client's host:port; "detached (host:port)" for a client that
     * left it running; "http" for the HTTP API; "this head" for a client inside the head.
     */
    static String clientName(ActorRef<Void> session, ActorRef<JobEvent> replyTo) {
        org.apache.pekko.actor.Address at = (session != null ? session : replyTo).path().address();
        if (!at.hasGlobalScope()) return session != null ? "this head" : "http";
        String address = org.pekkogrid.protocol.NodeAddress.of(at);
        return session != null ? address : "detached (" + address + ")";
    }

    /**
     * A client is known by its session; one without a session (a job submitted over HTTP) by the
     * node its replies go to, so all of a node's HTTP submissions are one client.
     */
    static Object clientOf(ActorRef<Void> session, ActorRef<JobEvent> replyTo) {
        return session != null ? session : replyTo.path().address();
    }
}
