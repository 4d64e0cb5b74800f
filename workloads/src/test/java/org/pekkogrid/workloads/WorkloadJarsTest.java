package org.pekkogrid.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workload jars on one node: kept by SHA-256, a class loader each that sees only the API, closed when unused. */
class WorkloadJarsTest {

    @TempDir
    static Path dir;

    private static byte[] version1;
    private static byte[] version2;

    /** A workload whose answer is its version, and which says whether it can see a class of the grid's. */
    private static String source(int version) {
        return """
            package tally;

            import org.pekkogrid.workloads.*;

            public final class Tally implements Workload<Tally.P, Long, Long, String> {
                public record P(@Param(value = "a class name to look for", defaultValue = "none") String probe) {}

                public String name() { return "tally"; }
                public String description() { return "version %d"; }
                public Class<P> paramsType() { return P.class; }
                public Class<Long> resultType() { return Long.class; }
                public ChunkSource<Long> split(P p, long chunks) { return ChunkSource.indices(chunks); }
                public Long run(Long i, ChunkContext ctx) { return i; }
                public Aggregator<Long, String> aggregator(P p, long chunks) {
                    return new ValueFold<Long, Long, String>(0L, Long::sum, sum -> "v%d:" + sum + ":" + sees(p.probe()));
                }
                public String runSequential(P p) { return "v%d"; }

                private static boolean sees(String name) {
                    try {
                        Class.forName(name, false, Tally.class.getClassLoader());
                        return true;
                    } catch (ClassNotFoundException e) {
                        return false;
                    }
                }
            }
            """.formatted(version, version, version);
    }

    @BeforeAll
    static void buildJars() throws Exception {
        version1 = jar("v1", source(1));
        version2 = jar("v2", source(2));
    }

    @Test
    void twoVersionsOfOneClassLiveSideBySide() throws Exception {
        WorkloadJars jars = new WorkloadJars(dir.resolve("side-by-side"), 1 << 20);
        String one = store(jars, version1);
        String two = store(jars, version2);
        Workload<?, ?, ?, ?> a = jars.use(one, "tally", "job-a");
        Workload<?, ?, ?, ?> b = jars.use(two, "tally", "job-b");
        assertEquals(a.getClass().getName(), b.getClass().getName());
        assertNotSame(a.getClass(), b.getClass());
        assertEquals("v1:6:false", answer(a, 4));
        assertEquals("v2:6:false", answer(b, 4));
        assertEquals(2, jars.openJars());
    }

    @Test
    void aJarSeesTheApiAndTheJdkOnly() throws Exception {
        WorkloadJars jars = new WorkloadJars(dir.resolve("sees"), 1 << 20);
        Workload<?, ?, ?, ?> w = jars.use(store(jars, version1), "tally", "job");
        assertEquals("v1:0:true", answer(w, 1, "org.pekkogrid.workloads.ValueFold"));
        assertEquals("v1:0:true", answer(w, 1, "java.util.zip.CRC32"));
        assertEquals("v1:0:false", answer(w, 1, "org.pekkogrid.workloads.BoundJob"));
        assertEquals("v1:0:false", answer(w, 1, "com.fasterxml.jackson.databind.ObjectMapper"));
        assertEquals("v1:0:false", answer(w, 1, "org.apache.pekko.actor.typed.ActorSystem"));
        // The API's classes are the grid's own, so that the grid can call the workload through them.
        assertSame(Workload.class, w.getClass().getInterfaces()[0]);
    }

    @Test
    void aJarIsClosedWhenTheLastJobUsingItEnds() throws Exception {
        WorkloadJars jars = new WorkloadJars(dir.resolve("release"), 1 << 20);
        String sha = store(jars, version1);
        Workload<?, ?, ?, ?> first = jars.use(sha, "tally", "job-1");
        Workload<?, ?, ?, ?> second = jars.use(sha, "tally", "job-2");
        assertSame(first.getClass(), second.getClass(), "one class loader per jar");
        jars.release("job-1");
        assertEquals(1, jars.openJars());
        jars.release("job-2");
        assertEquals(0, jars.openJars());
        jars.release("job-2");  // twice: nothing happens
        Workload<?, ?, ?, ?> again = jars.use(sha, "tally", "job-3");
        assertNotSame(first.getClass(), again.getClass(), "a new loader for a jar opened again");
    }

    @Test
    void badJarsAndNamesAreRefusedSayingWhy() throws Exception {
        WorkloadJars jars = new WorkloadJars(dir.resolve("bad"), 1 << 20);
        String sha = store(jars, version1);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> jars.use(sha, "talley", "j"));
        assertTrue(unknown.getMessage().contains("has no workload named \"talley\"; it offers: tally"), unknown.getMessage());
        assertEquals(0, jars.openJars(), "a jar no job could use is not left open");

        byte[] notAJar = "not a zip".getBytes(StandardCharsets.UTF_8);
        String bad = store(jars, notAJar);
        IllegalArgumentException corrupt = assertThrows(IllegalArgumentException.class, () -> jars.use(bad, "tally", "j"));
        assertTrue(corrupt.getMessage().contains("is not a jar"), corrupt.getMessage());

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> jars.use(WorkloadJars.sha256(new byte[] {1}), "tally", "j"));
        assertTrue(missing.getMessage().contains("has no workload jar"), missing.getMessage());

        IllegalArgumentException damaged = assertThrows(IllegalArgumentException.class,
            () -> jars.store(WorkloadJars.sha256(version2), version1));
        assertTrue(damaged.getMessage().contains("damaged on the way"), damaged.getMessage());
        assertFalse(jars.has(WorkloadJars.sha256(version2)));

        WorkloadJars small = new WorkloadJars(dir.resolve("small"), 100);
        IllegalArgumentException large = assertThrows(IllegalArgumentException.class,
            () -> small.store(WorkloadJars.sha256(version1), version1));
        assertTrue(large.getMessage().contains("grid.jars.max-bytes"), large.getMessage());
    }

    private static String answer(Workload<?, ?, ?, ?> w, long chunks) throws Exception {
        return answer(w, chunks, "none");
    }

    private static String answer(Workload<?, ?, ?, ?> w, long chunks, String probe) throws Exception {
        BoundJob<?, ?, ?, ?> job = BoundJob.bind(w, Map.of("probe", probe), chunks, 1000, FileRoots.UNRESTRICTED);
        BoundJob<?, ?, ?, ?>.Fold fold = job.newFold();
        for (long i = 0; i < job.chunks(); i++) fold.add(i, job.runChunk(i, ChunkContext.local(i)));
        return String.valueOf(fold.answer());
    }

    private static String store(WorkloadJars jars, byte[] bytes) throws Exception {
        String sha = WorkloadJars.sha256(bytes);
        jars.store(sha, bytes);
        return sha;
    }

    /** Compiles one source file against grid-api alone into a jar naming it in META-INF/services. */
    private static byte[] jar(String name, String source) throws Exception {
        Path src = dir.resolve(name + "-src/tally/Tally.java");
        Path classes = dir.resolve(name + "-classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, source);
        String api = Path.of(Workload.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, errors, errors, "--release", "17", "-classpath", api,
            "-d", classes.toString(), src.toString());
        assertEquals(0, status, errors.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes); Stream<Path> files = Files.walk(classes)) {
            List<Path> compiled = new ArrayList<>(files.filter(Files::isRegularFile).toList());
            for (Path f : compiled) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
            }
            out.putNextEntry(new JarEntry("META-INF/services/org.pekkogrid.workloads.Workload"));
            out.write("tally.Tally\n".getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
