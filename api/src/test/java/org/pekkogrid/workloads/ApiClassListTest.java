package org.pekkogrid.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ApiClassListTest {

    /**
     * A workload jar's class loader sees exactly the classes META-INF/grid-api.classes lists: a class
     * added to the API and not listed would be invisible to users' workloads.
     */
    @Test
    void theListedClassesAreExactlyTheApisOwn() throws Exception {
        Path classes = Path.of(Workload.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        TreeSet<String> compiled;
        try (Stream<Path> files = Files.walk(classes)) {
            compiled = files.map(p -> classes.relativize(p).toString().replace('\\', '/'))
                .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.endsWith("package-info.class"))
                .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(List.copyOf(compiled), listed());
    }

    private static List<String> listed() throws IOException {
        try (InputStream in = Workload.class.getResourceAsStream("/META-INF/grid-api.classes")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(l -> !l.isEmpty()).sorted().toList();
        }
    }
}
