package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobSpec;

/**
 * A worker holds to its own {@code grid.files.roots}, whatever the head allowed: a paths-mode
 * job whose output lies outside the worker's roots fails on it, naming the roots, and the
 * worker creates nothing there.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FileRootsClusterTest {

    @Test
    void aWorkerRefusesPathsOutsideItsOwnRootsAndWritesNothing(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path images = Files.createDirectories(root.resolve("images"));
        Files.write(images.resolve("a.png"), new byte[] {1, 2, 3});
        Path outside = dir.resolve("outside/out");

        // The head listens on loopback without roots: it takes any path.
        try (LoopbackGrid grid = LoopbackGrid.startHead(Map.of())) {
            grid.addWorker(1, List.of("opencv"), Map.of("grid.files.roots", List.of(root.toString())));

            JobResult r = grid.client().submit(JobSpec.of("grayscale").param("input", images)
                    .param("output", outside).withMaxRetries(0))
                .result().toCompletableFuture().get(60, TimeUnit.SECONDS);

            assertEquals(JobResult.Status.FAILED, r.status(), r::toString);
            assertTrue(r.error().contains("cannot run grayscale on this node")
                && r.error().contains("--param output: " + outside + " is outside this node's file roots " + root),
                r.error());
        }
        assertFalse(Files.exists(dir.resolve("outside")), "nothing created outside the worker's roots");
    }
}
