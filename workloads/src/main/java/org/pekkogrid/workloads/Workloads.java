package org.pekkogrid.workloads;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The workloads on the classpath, by name. */
public final class Workloads {

    private static final Map<String, Workload<?, ?, ?, ?>> BY_NAME = load();

    private Workloads() {}

    @SuppressWarnings("rawtypes")
    private static Map<String, Workload<?, ?, ?, ?>> load() {
        Map<String, Workload<?, ?, ?, ?>> byName = new TreeMap<>();
        for (Workload w : ServiceLoader.load(Workload.class, Workloads.class.getClassLoader())) {
            Workload<?, ?, ?, ?> previous = byName.put(w.name(), w);
            if (previous != null) {
                throw new IllegalStateException("two workloads are named " + w.name() + ": "
                    + previous.getClass().getName() + " and " + w.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(byName);
    }

    /** The workload of that name, or an error listing the known ones. */
    public static Workload<?, ?, ?, ?> find(String name) {
        Workload<?, ?, ?, ?> w = BY_NAME.get(name);
        if (w == null) {
            throw new IllegalArgumentException(
                "unknown workload \"" + name + "\"; known: " + String.join(", ", BY_NAME.keySet()));
        }
        return w;
    }

    public static List<Workload<?, ?, ?, ?>> all() {
        return List.copyOf(BY_NAME.values());
    }
}
