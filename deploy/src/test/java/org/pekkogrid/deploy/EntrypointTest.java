package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container's entrypoint, deploy/docker/entrypoint.sh, run by /bin/sh as the image runs it:
 * which command it builds from GRID_ROLE or the arguments, and the addresses it fills in.
 */
class EntrypointTest {

    private static final Path SCRIPT = Path.of("docker/entrypoint.sh").toAbsolutePath();

    @TempDir
    Path dir;

    /** Runs the script with only these variables (and a PATH); stdout, and the exit status last. */
    private List<String> run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/sh", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", dir + ":/usr/bin:/bin");
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the entrypoint ends");
        List<String> lines = new ArrayList<>(out.lines().toList());
        lines.add("exit " + process.exitValue());
        return lines;
    }

    @Test
    void theRoleBecomesTheCommandAndThePodsAddressesAreKept() throws Exception {
        List<String> out = run(Map.of("GRID_DRY_RUN", "on", "GRID_ROLE", "worker", "GRID_HOST", "10.1.2.3",
            "GRID_MANAGEMENT_HOST", "10.1.2.3", "GRID_DISCOVERY", "kubernetes", "JAVA_OPTS", "-Xmx1g -XX:+UseG1GC"));
        assertEquals(List.of(
            "GRID_BIND_HOST=0.0.0.0",
            "GRID_DISCOVERY=kubernetes",
            "GRID_HOST=10.1.2.3",
            "GRID_HTTP_HOST=0.0.0.0",
            "GRID_MANAGEMENT_HOST=10.1.2.3",
            "GRID_METRICS_HOST=0.0.0.0",
            "GRID_ROLE=worker",
            "java -Xmx1g -XX:+UseG1GC -jar /opt/grid/grid.jar worker",
            "exit 0"), out);
    }

    @Test
    void argumentsWinOverTheRoleAndSecretsAreNotPrinted() throws Exception {
        List<String> out = run(Map.of("GRID_DRY_RUN", "on", "GRID_ROLE", "worker", "GRID_HOST", "h",
            "GRID_MANAGEMENT_HOST", "10.0.0.9", "GRID_HTTP_TOKEN", "secret-secret-secret"), "status", "--json");
        assertEquals("java -jar /opt/grid/grid.jar status --json", out.get(out.size() - 2));
        assertTrue(out.stream().noneMatch(l -> l.contains("secret-secret")), "no token in the output: " + out);
    }

    @Test
    void withNothingToRunItAsksForHelp() throws Exception {
        List<String> out = run(Map.of("GRID_DRY_RUN", "on", "GRID_HOST", "h", "GRID_MANAGEMENT_HOST", "m"));
        assertEquals("java -jar /opt/grid/grid.jar --help", out.get(out.size() - 2));
    }

    @Test
    void theManagementAddressDefaultsToTheContainersIpNotToTheAdvertisedName() throws Exception {
        // hostname -i gives the container's IP in a container; here a stand-in on the PATH answers.
        executable("hostname", "#!/bin/sh\necho '10.9.8.7 fe80::1'\n");
        List<String> out = run(Map.of("GRID_DRY_RUN", "on", "GRID_ROLE", "head", "GRID_HOST", "grid-head-0.grid-head"));
        assertTrue(out.contains("GRID_HOST=grid-head-0.grid-head"), out.toString());
        assertTrue(out.contains("GRID_MANAGEMENT_HOST=10.9.8.7"), out.toString());
    }

    @Test
    void itExecsJavaWithTheArgumentsIntact() throws Exception {
        // A stand-in java that prints what it was given, one argument a line.
        executable("java", "#!/bin/sh\nfor a in \"$@\"; do echo \"arg:$a\"; done\necho \"host:$GRID_HOST\"\n");
        List<String> out = run(Map.of("GRID_HOST", "10.1.2.3", "GRID_MANAGEMENT_HOST", "10.1.2.3",
            "JAVA_OPTS", "-Xmx64m", "GRID_JAR", "/x/grid.jar"), "submit", "noop", "--param", "note=two words");
        assertEquals(List.of("arg:-Xmx64m", "arg:-jar", "arg:/x/grid.jar", "arg:submit", "arg:noop", "arg:--param",
            "arg:note=two words", "host:10.1.2.3", "exit 0"), out);
    }

    private void executable(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
