package org.pekkogrid.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a command follows a job, handled by the command instead of
 * killing the JVM at once: {@code grid submit} and {@code grid run} cancel the job and end as a
 * cancelled job does once the head confirmed it; {@code grid watch} says goodbye to the head, so
 * that it stops sending the job's events here. A second signal exits at once (status 128 + the
 * signal's number). Installed only while the job is followed; closing restores the JVM's own handlers.
 */
final class TerminationSignals implements AutoCloseable {

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private final AtomicReference<String> received = new AtomicReference<>();

    /** @param onFirst told the signal's name (INT, TERM) the first time one arrives, on the JVM's signal thread */
    TerminationSignals(Consumer<String> onFirst) {
        for (String name : List.of("INT", "TERM")) {
            Signal signal = new Signal(name);
            try {
                previous.add(Signal.handle(signal, s -> {
                    if (received.compareAndSet(null, s.getName())) {
                        onFirst.accept(s.getName());
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

    /** The first signal that came, such as "TERM"; null when none did. */
    String received() {
        return received.get();
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) Signal.handle(signals.get(i), previous.get(i));
    }
}
