package org.pekkogrid.worker;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.pekkogrid.protocol.CounterCommand;
import org.pekkogrid.protocol.CounterCommand.Get;
import org.pekkogrid.protocol.CounterCommand.Increment;
import org.pekkogrid.protocol.CounterReply;
import org.pekkogrid.protocol.CounterValue;
import org.pekkogrid.protocol.Counters;
import org.pekkogrid.protocol.GridMessage;
import org.pekkogrid.protocol.NodeAddress;

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
public final class Counter extends EventSourcedBehavior<CounterCommand, Counter.Event, Counter.State> {

    /** Persisted: renaming or moving these records breaks stored journals (add a JacksonMigration instead). */
    public sealed interface Event extends GridMessage permits Incremented {}

    public record Incremented(String requestId, long by) implements Event {}

    /** Persisted snapshot: the value and the remembered request ids, oldest first. */
    public record Snapshot(long value, List<String> recentRequestIds) implements GridMessage {}

    /** The journal opened (or failed to) while this counter waited for it. */
    private record JournalOpened(JournalPlugins plugins, Throwable failure) implements CounterCommand {}

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
    private final JournalPlugins plugins;
    private final String node;
    private final ActorContext<CounterCommand> ctx;

    /**
     * A counter as sharding starts it: it first waits for the node's journal to open (only the
     * first counter on a node really waits), holding the commands that arrive meanwhile.
     */
    public static Behavior<CounterCommand> create(String name, CounterSettings settings, CounterJournal journal) {
        return Behaviors.setup(ctx -> Behaviors.withStash(settings.stashCapacity(), stash -> {
            CompletableFuture<JournalPlugins> opened = journal.ready().toCompletableFuture();
            if (opened.isDone() && !opened.isCompletedExceptionally()) {
                return start(ctx, stash, name, settings, opened.join());
            }
            ctx.pipeToSelf(opened, JournalOpened::new);
            return awaitingJournal(ctx, stash, name, settings);
        }));
    }

    /** The counter itself, writing to these plugins. */
    public static Behavior<CounterCommand> persistent(String name, CounterSettings settings, JournalPlugins plugins) {
        return Behaviors.setup(ctx -> new Counter(ctx, name, settings, plugins));
    }

    private static Behavior<CounterCommand> awaitingJournal(ActorContext<CounterCommand> ctx,
                                                           StashBuffer<CounterCommand> stash, String name,
                                                           CounterSettings settings) {
        return Behaviors.receive(CounterCommand.class)
            .onMessage(JournalOpened.class, m -> {
                if (m.failure() == null) return start(ctx, stash, name, settings, m.plugins());
                String reason = "the counter journal could not be opened on " + NodeAddress.of(ctx.getSystem().address())
                    + ": " + m.failure().getMessage();
                stash.forEach(c -> refuse(c, name, reason, true));
                // Stopped, the counter starts again with its next message and tries the journal again.
                return Behaviors.stopped();
            })
            .onAnyMessage(c -> {
                if (stash.isFull()) refuse(c, name, "too many requests while the counter journal opens; try again", true);
                else stash.stash(c);
                return Behaviors.same();
            })
            .build();
    }

    /** The counter on an open journal; or, when this cluster cannot use that journal, a refusal of every command. */
    private static Behavior<CounterCommand> start(ActorContext<CounterCommand> ctx, StashBuffer<CounterCommand> stash,
                                                  String name, CounterSettings settings, JournalPlugins plugins) {
        String refusal = LocalJournalGuard.refusal(ctx.getSystem(), plugins);
        if (refusal == null) return stash.unstashAll(persistent(name, settings, plugins));
        ctx.getLog().error("counter {} refused: {}", name, refusal);
        Behavior<CounterCommand> refusing = Behaviors.receive(CounterCommand.class)
            .onAnyMessage(c -> {
                refuse(c, name, refusal, false);
                return Behaviors.same();
            })
            .build();
        return stash.unstashAll(refusing);
    }

    private static void refuse(CounterCommand c, String name, String reason, boolean retryable) {
        CounterReply.Unavailable no = new CounterReply.Unavailable(name, reason, retryable);
        if (c instanceof Increment i) i.replyTo().tell(no);
        else if (c instanceof Get g) g.replyTo().tell(no);
    }

    private Counter(ActorContext<CounterCommand> ctx, String name, CounterSettings settings, JournalPlugins plugins) {
        super(PersistenceId.of(Counters.KEY.name(), name),
            SupervisorStrategy.restartWithBackoff(settings.restartBackoffMin(), settings.restartBackoffMax(), 0.2));
        this.ctx = ctx;
        this.name = name;
        this.settings = settings;
        this.plugins = plugins;
        this.node = NodeAddress.of(ctx.getSystem().address());
    }

    @Override
    public State emptyState() {
        return State.EMPTY;
    }

    @Override
    public CommandHandler<CounterCommand, Event, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
            .onCommand(Increment.class, this::onIncrement)
            .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), value(state, false)))
            .build();
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

    @Override
    public String journalPluginId() {
        return plugins.journalPluginId();
    }

    @Override
    public Optional<Config> journalPluginConfig() {
        return plugins.journalConfig();
    }

    @Override
    public String snapshotPluginId() {
        return plugins.snapshotPluginId();
    }

    @Override
    public Optional<Config> snapshotPluginConfig() {
        return plugins.snapshotConfig();
    }
}
