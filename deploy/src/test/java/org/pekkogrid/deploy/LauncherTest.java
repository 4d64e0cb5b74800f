package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code grid} command that {@code mvn package} puts beside grid.jar, run as a user runs it.
 * It runs after package (the launcher execution of surefire in deploy/pom.xml sets grid.launcher).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "grid.launcher", matches = ".+")
class LauncherTest {

    private Path launcher;
    private Path extraJar;

    @TempDir
    static Path dir;

    record Run(int status, String out, String err) {}

    @BeforeAll
    void buildAWorkloadOfOurOwn() throws Exception {
        launcher = Path.of(System.getProperty("grid.launcher"));
        extraJar = workloadJar(dir.resolve("extra"), launcher.resolveSibling("grid.jar"));
    }

    private Run grid(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("GRID_CLASSPATH");
        builder.environment().remove("GRID_JAR");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "grid " + String.join(" ", args) + " still runs");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void theLauncherIsAnExecutableBesideTheJar() {
        assertTrue(Files.isExecutable(launcher), launcher + " is executable");
        assertTrue(Files.isRegularFile(launcher.resolveSibling("grid.jar")));
    }

    @Test
    void gridVersionRunsTheJar() throws Exception {
        Run run = grid(Map.of(), "--version");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("pekko-grid 0.1.0-SNAPSHOT, Java 17"), run.out());
    }

    @Test
    void gridWorkloadsListsTheBuiltInsAndNoOthers() throws Exception {
        Run run = grid(Map.of(), "workloads");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("prime-search") && run.out().contains("leibniz-pi"), run.out());
        assertFalse(run.out().contains("launcher-echo"), run.out());
    }

    /** java -jar would ignore both: the launcher runs GridMain with the jars after grid.jar. */
    @Test
    void extraJarsFromGridClasspathOrMinusCpAreOnTheClasspath() throws Exception {
        Run fromEnv = grid(Map.of("GRID_CLASSPATH", extraJar.toString()), "workloads");
        assertEquals(0, fromEnv.status(), fromEnv.err());
        assertTrue(fromEnv.out().contains("launcher-echo"), fromEnv.out());

        Run fromOption = grid(Map.of(), "-cp", extraJar.toString(), "workloads");
        assertEquals(0, fromOption.status(), fromOption.err());
        assertTrue(fromOption.out().contains("launcher-echo"), fromOption.out());
    }

    @Test
    void aLinkToTheLauncherOnThePathFindsTheJar() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path link = Files.createSymbolicLink(bin.resolve("grid"), launcher.toAbsolutePath());
        Process p = new ProcessBuilder(link.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("pekko-grid "), out);
    }

    /** A jar with one workload, "launcher-echo", compiled here against grid.jar, found by ServiceLoader. */
    private static Path workloadJar(Path dir, Path gridJar) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/example"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path source = Files.writeString(src.resolve("Echo.java"), """
            package example;

            import org.pekkogrid.workloads.*;

            public final class Echo implements Workload<Echo.Params, Long, Void, Long> {
                public record Params() {}
                public String name() { return "launcher-echo"; }
                public String description() { return "a workload from a jar of its own"; }
                public Class<Params> paramsType() { return Params.class; }
                public Class<Void> resultType() { return Void.class; }
                public ChunkSource<Long> split(Params params, long chunks) { return ChunkSource.indices(chunks); }
                public Void run(Long chunk, ChunkContext ctx) { return null; }
                public Aggregator<Void, Long> aggregator(Params params, long chunks) { return ChunkCount.fold(new ChunkCount(0)); }
                public Long runSequential(Params params) { return 1L; }
            }
            """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "--release", "17", "-cp", gridJar.toString(), "-d", classes.toString(),
            source.toString());
        assertEquals(0, status, "javac");
        Path jar = dir.resolve("echo-workload.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("example/Echo.class", "example/Echo$Params.class")) {
                out.putNextEntry(new JarEntry(name));
                Files.copy(classes.resolve(name), out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/org.pekkogrid.workloads.Workload"));
            write(out, "example.Echo\n");
            out.closeEntry();
        }
        return jar;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
