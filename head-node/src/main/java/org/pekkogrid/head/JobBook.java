package org.pekkogrid.head;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.pekkogrid.journal.JournalPlugins;
import org.pekkogrid.journal.JournaledBehavior;
import org.pekkogrid.protocol.GridMessage;
import org.pekkogrid.protocol.JobDetail;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobSpec;

/**
 * The job journal: every job the coordinator accepted, its latest checkpoint while it runs, and
 * how it ended. A coordinator that starts (on a standby head after the old one died, or on a
 * head that restarted) reads it back and resumes every job still open.
 *
 * <p>The state is rebuilt from the journal on every start and restart (it is immutable), and
 * the coordinator hears that a job is stored only after its event is.
 * When a write fails the book restarts, replays, and tells the coordinator what it holds again,
 * which is how the coordinator learns which of the jobs it was waiting on were stored.
 */
public final class JobBook extends JournaledBehavior<JobBook.Command, JobBook.Event, JobBook.State> {

    /** Persistence id of the grid's one job book. */
    static final String PERSISTENCE_ID = "grid-jobs";

    /** Only the coordinator on this node talks to its book: nothing here crosses the network. */
    sealed interface Command extends NoSerializationVerificationNeeded {}

    /** Store a job; {@code replyTo} hears {@link Stored} once it is. */
    record Accept(OpenJob job, ActorRef<Stored> replyTo) implements Command {}

    /** Store a running job's checkpoint (a job that ended meanwhile keeps none). */
    record Checkpoint(String jobId, JobProgress.Saved progress) implements Command {}

    /** Store how a job ended. */
    record End(EndedJob job) implements Command {}

    record Stored(String jobId) implements NoSerializationVerificationNeeded {}

    /** What the book holds, after each (re)start: the open jobs with their checkpoints, and the ended ones. */
    record Recovered(List<OpenJob> open, List<EndedJob> ended) implements NoSerializationVerificationNeeded {}

    /** Persisted: renaming or moving these records breaks stored journals. */
    sealed interface Event extends GridMessage permits JobAccepted, JobCheckpointed, JobEnded {}

    public record JobAccepted(OpenJob job) implements Event {}

    public record JobCheckpointed(String jobId, JobProgress.Saved progress) implements Event {}

    public record JobEnded(EndedJob job) implements Event {}

    /**
     * A job accepted and not yet ended.
     *
     * @param client     who hears its events; a client outside the cluster follows it again anyway
     * @param session    the client's session, or null (see {@code SubmitJob})
     * @param checkpoint its latest checkpoint, or null before the first
     */
    public record OpenJob(String jobId, JobSpec spec, String submissionId, ActorRef<JobEvent> client,
                          ActorRef<Void> session, long acceptedAtMillis, JobProgress.Saved checkpoint) {
        OpenJob withCheckpoint(JobProgress.Saved saved) {
            return new OpenJob(jobId, spec, submissionId, client, session, acceptedAtMillis, saved);
        }
    }

    /** A job that ended; its report without the long lists. */
    public record EndedJob(JobDetail detail, String submissionId) {}

    /** Persisted snapshot of the book. */
    public record Snapshot(List<OpenJob> open, List<EndedJob> ended) implements GridMessage {}

    /**
     * Immutable: Pekko keeps the empty state it was given and replays onto it after a restart, so
     * a state changed in place would carry the failed incarnation's values into the next one.
     * Each event makes a new state; the maps hold the open jobs (running or queued: at most
     * grid.head.max-jobs + max-queued-jobs) and grid.head.finished-jobs-kept ended ones.
     */
    static final class State {
        static final State EMPTY = new State(Map.of(), List.of());

        private final Map<String, OpenJob> open;
        private final List<EndedJob> ended;

        private State(Map<String, OpenJob> open, List<EndedJob> ended) {
            this.open = open;
            this.ended = ended;
        }

        boolean isOpen(String jobId) {
            return open.containsKey(jobId);
        }

        private State apply(Event event, int endedKept) {
            Map<String, OpenJob> nextOpen = new LinkedHashMap<>(open);
            List<EndedJob> nextEnded = ended;
            if (event instanceof JobAccepted a) {
                nextOpen.put(a.job().jobId(), a.job());
            } else if (event instanceof JobCheckpointed c) {
                nextOpen.computeIfPresent(c.jobId(), (id, job) -> job.withCheckpoint(c.progress()));
            } else if (event instanceof JobEnded e) {
                nextOpen.remove(e.job().detail().job());
                ArrayDeque<EndedJob> kept = new ArrayDeque<>(ended);
                kept.addLast(e.job());
                while (kept.size() > endedKept) kept.removeFirst();
                nextEnded = List.copyOf(kept);
            }
            return new State(java.util.Collections.unmodifiableMap(nextOpen), nextEnded);
        }

        Recovered recovered() {
            return new Recovered(List.copyOf(open.values()), ended);
        }
    }

    static Behavior<Command> create(JournalPlugins plugins, int endedKept, ActorRef<Recovered> coordinator) {
        return create(PERSISTENCE_ID, plugins, endedKept, coordinator);
    }

    /** A book under another persistence id: for tests, which must not share one. */
    static Behavior<Command> create(String persistenceId, JournalPlugins plugins, int endedKept,
                                    ActorRef<Recovered> coordinator) {
        return Behaviors.setup(ctx -> new JobBook(ctx, persistenceId, plugins, endedKept, coordinator));
    }

    private final ActorContext<Command> ctx;
    private final int endedKept;
    private final ActorRef<Recovered> coordinator;

    private JobBook(ActorContext<Command> ctx, String persistenceId, JournalPlugins plugins, int endedKept,
                    ActorRef<Recovered> coordinator) {
        super(PersistenceId.ofUniqueId(persistenceId),
            SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2), plugins);
        this.ctx = ctx;
        this.endedKept = endedKept;
        this.coordinator = coordinator;
    }

    @Override
    public State emptyState() {
        return State.EMPTY;
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
            .onCommand(Accept.class, (state, accept) -> Effect().persist(new JobAccepted(accept.job()))
                .thenReply(accept.replyTo(), s -> new Stored(accept.job().jobId())))
            .onCommand(Checkpoint.class, (state, checkpoint) -> state.isOpen(checkpoint.jobId())
                ? Effect().persist(new JobCheckpointed(checkpoint.jobId(), checkpoint.progress()))
                : Effect().none())
            .onCommand(End.class, (state, end) -> Effect().persist(new JobEnded(end.job())))
            .build();
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
            .onAnyEvent((state, event) -> state.apply(event, endedKept));
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
            .onSignal(RecoveryCompleted.instance(), state -> {
                Recovered recovered = state.recovered();
                ctx.getLog().info("job journal read: {} open jobs, {} ended", recovered.open().size(),
                    recovered.ended().size());
                coordinator.tell(recovered);
            })
            .build();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        // Replay stays short: a snapshot every 200 events, the older events deleted.
        return RetentionCriteria.snapshotEvery(200, 2).withDeleteEventsOnSnapshot();
    }

    @Override
    public SnapshotAdapter<State> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(State state) {
                return new Snapshot(List.copyOf(state.open.values()), state.ended);
            }

            @Override
            public State fromJournal(Object from) {
                Snapshot s = (Snapshot) from;
                Map<String, OpenJob> open = new LinkedHashMap<>();
                for (OpenJob job : s.open()) open.put(job.jobId(), job);
                return new State(java.util.Collections.unmodifiableMap(open), List.copyOf(s.ended()));
            }
        };
    }
}
