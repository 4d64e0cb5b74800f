package org.pekkogrid.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While a {@code grid submit} (or {@code grid run}) follows its job, Ctrl-C (SIGINT) and SIGTERM
 * cancel the job instead of killing the JVM at once: the command then ends as a cancelled job
 * does, once the head confirmed it. A second signal exits at once (status 128 + the signal's
 * number), in case the head does not answer. Installed only for the job's run; closing restores
 * the JVM's own handlers.
 */
final class CancelOnSignal implements AutoCloseable {

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private final AtomicReference<String> received = new AtomicReference<>();

    /** @param cancel told the signal's name (INT, TERM) the first time one arrives */
    CancelOnSignal(Consumer<String> cancel) {
        for (String name : List.of("INT", "TERM")) {
            Signal signal = new Signal(name);
            try {
                previous.add(Signal.handle(signal, s -> {
                    if (received.compareAndSet(null, s.getName())) {
                        cancel.accept(s.getName());
                    } else {
                        Runtime.getRuntime().halt(128 + s.getNumber());
                    }
                }));
                signals.add(signal);
            } catch (IllegalArgumentException e) {
                // The JVM keeps this signal to itself (-Xrs, or a platform without it): default behaviour.
            }
        }
    }

    /** The signal that asked to cancel, such as "TERM"; null when none came. */
    String received() {
        return received.get();
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) Signal.handle(signals.get(i), previous.get(i));
    }
}
