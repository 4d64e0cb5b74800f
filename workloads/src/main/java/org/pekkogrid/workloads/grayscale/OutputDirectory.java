package org.pekkogrid.workloads.grayscale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where outputs go. A reader of the output directory sees either no file or a whole one: each
 * output is written to a hidden temporary file beside its target, then renamed over it.
 */
final class OutputDirectory {

    private final Path dir;
    private final boolean overwrite;

    OutputDirectory(Path dir, boolean overwrite) {
        this.dir = dir;
        this.overwrite = overwrite;
    }

    /** Creates the directory when missing; harmless when many threads and nodes race to do it. */
    void create() throws IOException {
        Files.createDirectories(dir);
    }

    /** Whether the output of {@code name} is there already and must be left alone. */
    boolean keeps(String name) {
        return !overwrite && Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether the output of {@code name} is there already with exactly these bytes. */
    boolean holds(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == bytes.length
                && Arrays.equals(Files.readAllBytes(file), bytes);
        } catch (NoSuchFileException e) {
            return false;  // removed while we looked
        }
    }

    /**
     * Writes the output of {@code name} atomically; false when an existing output was kept.
     * Failing to write is an IOException for the whole chunk: a full disk or a read-only
     * directory is the node's problem, not the image's, and a retry elsewhere may succeed.
     */
    boolean write(String name, byte[] bytes) throws IOException {
        if (keeps(name)) return false;
        // Short and hidden: a long input name plus a suffix could pass the 255-byte name limit.
        Path temp = dir.resolve(".grid-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            return true;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
