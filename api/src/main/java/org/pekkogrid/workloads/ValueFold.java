package org.pekkogrid.workloads;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A fold whose state is an immutable value (a record of a few numbers), replaced at each add:
 * the state to save is then the fold itself, and a resumed fold is one that starts from it.
 * A fold that updates arrays in place wants a class of its own.
 *
 * @param <S> the state, the workload's {@link Workload#foldStateType}
 */
public final class ValueFold<S, R, A> implements Aggregator<R, A> {

    private S state;
    private final BiFunction<S, R, S> add;
    private final Function<S, A> answer;

    /**
     * @param from   the state to start from: the empty one, or a saved one
     * @param add    the state after one more chunk's result
     * @param answer the job's answer from a state
     */
    public ValueFold(S from, BiFunction<S, R, S> add, Function<S, A> answer) {
        this.state = from;
        this.add = add;
        this.answer = answer;
    }

    @Override
    public void add(long chunkIndex, R result) {
        state = add.apply(state, result);
    }

    @Override
    public A result() {
        return answer.apply(state);
    }

    @Override
    public S state() {
        return state;
    }
}
