package org.pekkogrid.worker;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.pekkogrid.journal.GridJournal;
import org.pekkogrid.journal.GridJournal.Refusal;
import org.pekkogrid.journal.JournalInUseException;
import org.pekkogrid.journal.JournalPlugins;
import org.pekkogrid.journal.JournaledBehavior;
import org.pekkogrid.protocol.CounterCommand;
import org.pekkogrid.protocol.CounterCommand.Get;
import org.pekkogrid.protocol.CounterCommand.Increment;
import org.pekkogrid.protocol.CounterReply;
import org.pekkogrid.protocol.CounterValue;
import org.pekkogrid.protocol.Counters;
import org.pekkogrid.protocol.GridMessage;
import org.pekkogrid.protocol.LocalOnly;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.protocol.Roles;

/**
 * A named counter: a persistent entity sharded over the worker nodes. Its value outlives the
 * node that holds it: every increment is an event in the journal, replayed (after the latest
 * snapshot) wherever sharding starts the counter next.
 *
 * <p>Exactly once: each increment carries a request id chosen by the client, and the counter
 * remembers the ids of its last {@code dedup-window} increments in its state, which its events
 * and snapshots rebuild after a crash. A retry with a remembered id is answered with the current
 * value and {@code applied = false}. (A retry arriving after dedup-window newer increments would
 * count again; clients give up long before that.)
 */
public final class Counter extends JournaledBehavior<CounterCommand, Counter.Event, Counter.State> {

    /** Persisted: renaming or moving these records breaks stored journals (add a JacksonMigration instead). */
    public sealed interface Event extends GridMessage permits Incremented {}

    public record Incremented(String requestId, long by) implements Event {}

    /** Persisted snapshot: the value and the remembered request ids, oldest first. */
    public record Snapshot(long value, List<String> recentRequestIds) implements GridMessage {}

    /** The journal opened (or failed to) while this counter waited for it. */
    private record JournalOpened(JournalPlugins plugins, Throwable failure) implements CounterCommand, LocalOnly {}

    /**
     * The live state, immutable: Pekko applies an event to the state before the journal confirms it,
     * and rebuilds the state from its empty state on a restart. A mutable state (or an empty state
     * shared between incarnations) kept the unconfirmed increment and counted the replayed ones twice.
     */
    record State(long value, RecentRequestIds recent) {

        static final State EMPTY = new State(0, RecentRequestIds.empty());

        boolean remembers(String requestId) {
            return recent.contains(requestId);
        }

        int remembered() {
            return recent.size();
        }

        State apply(Incremented e, int window) {
            return new State(value + e.by(), recent.add(e.requestId(), window));
        }
    }

    private final String name;
    private final CounterSettings settings;
    private final Supplier<Optional<Refusal>> refusal;
    private final String node;
    private final ActorContext<CounterCommand> ctx;

    /**
     * A counter as sharding starts it: it first waits for the node's journal to open (only the
     * first counter on a node really waits), holding the commands that arrive meanwhile.
     */
    public static Behavior<CounterCommand> create(String name, CounterSettings settings, GridJournal journal) {
        Supplier<Optional<Refusal>> refusal = () -> journal.refusal(Roles.WORKER);
        return Behaviors.setup(ctx -> Behaviors.withStash(settings.stashCapacity(), stash -> {
            CompletableFuture<JournalPlugins> opened = journal.plugins().toCompletableFuture();
            if (opened.isDone() && !opened.isCompletedExceptionally()) {
                return start(ctx, stash, name, settings, opened.join(), refusal);
            }
            ctx.pipeToSelf(opened, JournalOpened::new);
            return awaitingJournal(ctx, stash, name, settings, refusal);
        }));
    }

    /** The counter itself, writing to these plugins, which nothing refuses (tests). */
    public static Behavior<CounterCommand> persistent(String name, CounterSettings settings, JournalPlugins plugins) {
        return persistent(name, settings, plugins, Optional::empty);
    }

    /**
     * The counter itself, writing to these plugins while {@code refusal} is empty; when it is not
     * (another grid took the journal over), it answers why and stops, so that it recovers its
     * state from the journal when it starts again.
     */
    static Behavior<CounterCommand> persistent(String name, CounterSettings settings, JournalPlugins plugins,
                                               Supplier<Optional<Refusal>> refusal) {
        return Behaviors.setup(ctx -> new Counter(ctx, name, settings, plugins, refusal));
    }

    private static Behavior<CounterCommand> awaitingJournal(ActorContext<CounterCommand> ctx,
                                                           StashBuffer<CounterCommand> stash, String name,
                                                           CounterSettings settings, Supplier<Optional<Refusal>> refusal) {
        return Behaviors.receive(CounterCommand.class)
            .onMessage(JournalOpened.class, m -> {
                if (m.failure() == null) return start(ctx, stash, name, settings, m.plugins(), refusal);
                Throwable failure = m.failure() instanceof CompletionException e && e.getCause() != null
                    ? e.getCause() : m.failure();
                // Another grid's journal: say so at once, retrying would only wait.
                Refusal no = failure instanceof JournalInUseException
                    ? new Refusal(failure.getMessage(), false)
                    : new Refusal("the journal could not be opened on " + NodeAddress.of(ctx.getSystem().address())
                        + ": " + failure.getMessage(), true);
                stash.forEach(c -> refuse(c, name, no));
                // Stopped, the counter starts again with its next message and tries the journal again.
                return Behaviors.stopped();
            })
            .onAnyMessage(c -> {
                if (stash.isFull()) refuse(c, name, new Refusal("too many requests while the journal opens; try again", true));
                else stash.stash(c);
                return Behaviors.same();
            })
            .build();
    }

    /** The counter on an open journal; or, while this node must not use that journal, a refusal of every command. */
    private static Behavior<CounterCommand> start(ActorContext<CounterCommand> ctx, StashBuffer<CounterCommand> stash,
                                                  String name, CounterSettings settings, JournalPlugins plugins,
                                                  Supplier<Optional<Refusal>> refusal) {
        Optional<Refusal> no = refusal.get();
        if (no.isEmpty()) return stash.unstashAll(persistent(name, settings, plugins, refusal));
        ctx.getLog().error("counter {} refused: {}", name, no.get().reason());
        Behavior<CounterCommand> refusing = Behaviors.receive(CounterCommand.class)
            .onAnyMessage(c -> {
                Optional<Refusal> still = refusal.get();
                if (still.isPresent()) {
                    refuse(c, name, still.get());
                    return Behaviors.same();
                }
                stash.stash(c);
                return stash.unstashAll(persistent(name, settings, plugins, refusal));
            })
            .build();
        return stash.unstashAll(refusing);
    }

    private static void refuse(CounterCommand c, String name, Refusal refusal) {
        CounterReply.Unavailable no = new CounterReply.Unavailable(name, refusal.reason(), refusal.retryable());
        if (c instanceof Increment i) i.replyTo().tell(no);
        else if (c instanceof Get g) g.replyTo().tell(no);
    }

    private Counter(ActorContext<CounterCommand> ctx, String name, CounterSettings settings, JournalPlugins plugins,
                    Supplier<Optional<Refusal>> refusal) {
        super(PersistenceId.of(Counters.KEY.name(), name),
            SupervisorStrategy.restartWithBackoff(settings.restartBackoffMin(), settings.restartBackoffMax(), 0.2),
            plugins);
        this.ctx = ctx;
        this.name = name;
        this.settings = settings;
        this.refusal = refusal;
        this.node = NodeAddress.of(ctx.getSystem().address());
    }

    @Override
    public State emptyState() {
        return State.EMPTY;
    }

    @Override
    public CommandHandler<CounterCommand, Event, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
            .onCommand(c -> refusal.get().isPresent(), this::onRefused)
            .onCommand(Increment.class, this::onIncrement)
            .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), value(state, false)))
            .build();
    }

    /** This node lost the journal: its state may be behind the journal's. Answer why, and stop. */
    private Effect<Event, State> onRefused(CounterCommand c) {
        Optional<Refusal> no = refusal.get();
        return Effect().stop().thenRun(state -> no.ifPresent(r -> refuse(c, name, r)));
    }

    private Effect<Event, State> onIncrement(State state, Increment inc) {
        String problem = problem(state, inc);
        if (problem != null) return Effect().reply(inc.replyTo(), new CounterReply.Rejected(name, problem));
        if (state.remembers(inc.requestId())) return Effect().reply(inc.replyTo(), value(state, false));
        return Effect().persist(new Incremented(inc.requestId(), inc.by()))
            .thenReply(inc.replyTo(), s -> value(s, true));
    }

    /** What is wrong with this increment, or null. Nothing wrong is ever persisted. */
    private String problem(State state, Increment inc) {
        try {
            Counters.checkRequestId(inc.requestId());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (inc.by() == 0) return "an increment by 0 changes nothing: add a positive number, or subtract with a negative one";
        if (state.remembers(inc.requestId())) return null;
        try {
            Math.addExact(state.value(), inc.by());
            return null;
        } catch (ArithmeticException e) {
            return "adding " + inc.by() + " to " + state.value() + " would leave the range of a 64-bit counter ("
                + Long.MIN_VALUE + " to " + Long.MAX_VALUE + "); nothing was added";
        }
    }

    private CounterValue value(State state, boolean applied) {
        return new CounterValue(name, state.value(), applied, node);
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
            .onEvent(Incremented.class, (state, e) -> state.apply(e, settings.dedupWindow()))
            .build();
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
            .onSignal(RecoveryCompleted.instance(), state -> ctx.getLog().debug(
                "counter {} recovered on {}: value {}, {} request ids remembered", name, node, state.value(), state.remembered()))
            .build();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
    }

    @Override
    public SnapshotAdapter<State> snapshotAdapter() {
        int window = settings.dedupWindow();
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(State state) {
                return new Snapshot(state.value(), state.recent().oldestFirst());
            }

            @Override
            public State fromJournal(Object from) {
                Snapshot s = (Snapshot) from;
                // A smaller window than the snapshot's keeps the newest ids.
                return new State(s.value(), RecentRequestIds.of(s.recentRequestIds(), window));
            }
        };
    }
}
