package org.pekkogrid.workloads;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parent of every workload jar's class loader: it shows the jar the grid's API (the classes
 * grid-api lists in {@code META-INF/grid-api.classes}, and their nested classes) and the JDK,
 * nothing else. A jar cannot reach the grid's internals, nor Pekko or Jackson, and a library it
 * ships can never be shadowed by the grid's copy of it. Resources come from the JDK only (this
 * loader finds none of its own), so a jar's {@code META-INF/services} are the jar's.
 */
final class ApiOnlyClassLoader extends ClassLoader {

    static final ApiOnlyClassLoader INSTANCE = new ApiOnlyClassLoader();

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader grid = Workload.class.getClassLoader();
    private final Set<String> apiClasses = listed();

    private ApiOnlyClassLoader() {
        super("grid-api", ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isApi(name)) return grid.loadClass(name);
        return super.loadClass(name, resolve);  // the platform's, or ClassNotFoundException
    }

    boolean isApi(String className) {
        int nested = className.indexOf('$');
        return apiClasses.contains(nested < 0 ? className : className.substring(0, nested));
    }

    private static Set<String> listed() {
        try (InputStream in = Workload.class.getResourceAsStream("/META-INF/grid-api.classes")) {
            if (in == null) throw new IllegalStateException("META-INF/grid-api.classes is missing: grid-api is not on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(l -> !l.isEmpty()).collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read META-INF/grid-api.classes", e);
        }
    }
}
