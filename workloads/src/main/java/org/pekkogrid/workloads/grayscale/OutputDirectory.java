package org.pekkogrid.workloads.grayscale;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where outputs go. A reader of the output directory sees either no file or a whole one: each
 * output is written to a hidden temporary file beside its target, then linked or renamed to
 * its name. A writer killed before that leaves only the hidden file, which nothing reads.
 *
 * <p>Writing is idempotent: a chunk that runs again (a retry after its worker died, a
 * duplicate of an overdue chunk, a chunk a resumed job runs again, the head's fold of a
 * resumed inline job) finds the outputs its first attempt wrote, with exactly the bytes it
 * brings, and counts them as written without writing them again. So a job's answer does not
 * depend on how often its chunks ran, and each output is written once.
 */
final class OutputDirectory {

    /** What became of one output. */
    enum Written {
        /** Written now. */
        WROTE,
        /** Already there with exactly these bytes (an earlier attempt, or an earlier run): left as it is. */
        FOUND,
        /** Another file is there and {@code overwrite=false}: left as it is. */
        KEPT;

        /** Whether the output counts as written: it holds the bytes this job makes. */
        boolean counts() {
            return this != KEPT;
        }
    }

    /** How much of an existing output is read at a time to compare it: most differ in their first block. */
    private static final int COMPARE_BLOCK_BYTES = 64 << 10;

    private final Path dir;
    private final boolean overwrite;

    OutputDirectory(Path dir, boolean overwrite) {
        this.dir = dir;
        this.overwrite = overwrite;
    }

    Path dir() {
        return dir;
    }

    /** Creates the directory when missing; harmless when many threads and nodes race to do it. */
    void create() throws IOException {
        Files.createDirectories(dir);
    }

    /**
     * Writes the output of {@code name} atomically, unless it is there already with these bytes
     * or, with {@code overwrite=false}, with others. Failing to write is an IOException for the
     * whole chunk: a full disk or a read-only directory is the node's problem, not the image's,
     * and a retry elsewhere may succeed.
     */
    Written write(String name, byte[] bytes) throws IOException {
        String problem = nameProblem(name);
        if (problem != null) throw new IllegalArgumentException("output name " + quoted(name) + ": " + problem);
        Path target = dir.resolve(name);
        Existing existing = look(target, bytes);
        if (existing == Existing.SAME) return Written.FOUND;
        if (existing == Existing.OTHER && !overwrite) return Written.KEPT;
        // Short and hidden: a long input name plus a suffix could pass the 255-byte name limit.
        Path temp = dir.resolve(".grid-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            if (existing == Existing.NONE) {
                try {
                    // A link, unlike a rename, fails when the name is taken: of two attempts racing, one writes.
                    Files.createLink(target, temp);
                    return Written.WROTE;
                } catch (IOException | UnsupportedOperationException e) {
                    // Taken since we looked (FileAlreadyExistsException), or a filesystem without hard
                    // links: then a rename, which would replace a file that appeared in between.
                    existing = look(target, bytes);
                    if (existing == Existing.SAME) return Written.FOUND;
                    if (existing == Existing.OTHER && !overwrite) return Written.KEPT;
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return Written.WROTE;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Why {@code name} cannot be an output's name, or null when it can: it must be a plain file
     * name, as the input listing gives, so that the output lands in this directory and nowhere
     * else. Names come back from workers in inline mode, and the head writes them: it trusts
     * none of them.
     */
    static String nameProblem(String name) {
        if (name == null || name.isEmpty()) return "empty; an output is named after its input image";
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) return "it has a control character; an image's name has none";
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return "not a plain file name (it has a path separator): it would be written outside the output directory";
        }
        if (name.equals(".") || name.equals("..")) return "not a file name: it names a directory";
        if (name.startsWith(".")) return "a hidden name; the input listing has none";
        if (!ImageFormat.isImageName(name)) return "not an image's name (." + String.join(", .", new java.util.TreeSet<>(ImageFormat.EXTENSIONS)) + ")";
        return null;
    }

    /** A name as a reader can see it, control characters escaped. */
    static String quoted(String name) {
        if (name == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        for (char c : name.toCharArray()) {
            if (Character.isISOControl(c)) b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    /** What stands under an output's name, seen once: deciding on two looks would race with other writers. */
    private enum Existing { NONE, SAME, OTHER }

    /** A regular file with exactly these bytes is SAME: compared by length first, then block by block. */
    private static Existing look(Path file, byte[] bytes) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Existing.NONE;
        }
        if (!attributes.isRegularFile() || attributes.size() != bytes.length) return Existing.OTHER;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] block = new byte[Math.min(bytes.length, COMPARE_BLOCK_BYTES)];
            for (int at = 0; at < bytes.length; ) {
                int n = in.read(block, 0, Math.min(block.length, bytes.length - at));
                if (n < 0 || Arrays.mismatch(block, 0, n, bytes, at, at + n) >= 0) return Existing.OTHER;
                at += n;
            }
            return in.read() < 0 ? Existing.SAME : Existing.OTHER;  // not grown while we read
        } catch (NoSuchFileException e) {
            return Existing.NONE;  // removed between the two looks
        }
    }
}
