package org.pekkogrid.workloads;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * A job's answer as a text file of one line per item, in item order, though the head folds
 * chunks in any order: each chunk's lines go to a part file in a hidden directory beside the
 * file as the chunk is folded, and {@link #join} writes the file from the parts once every item
 * is folded, then deletes them. The fold state stays a few counts.
 *
 * <p>A resumed job's fold goes on writing parts into the same directory. Parts a standby head
 * cannot find (the dead head's disk is not its own) are made again, item by item, by
 * {@code remake}: each item's line must be a pure function of the job's parameters and the
 * item, the same whatever the chunking, so that a part left by an earlier run of the same job
 * is as good as a new one. The directory is named after those parameters.
 */
public final class ItemLinesFile {

    private final Path file;
    private final Path parts;
    private final long items;
    private final LongFunction<String> remake;

    /**
     * @param file   the file to write (its directory is made if missing)
     * @param key    the parameters the lines depend on, as part of a file name (no '/')
     * @param items  how many items, hence lines
     * @param remake an item's line, made on the head (for items whose part is missing)
     */
    public ItemLinesFile(Path file, String key, long items, LongFunction<String> remake) {
        this.file = file.toAbsolutePath().normalize();
        this.parts = this.file.resolveSibling("." + this.file.getFileName() + "." + key + ".parts");
        this.items = items;
        this.remake = remake;
    }

    public Path file() {
        return file;
    }

    /** Stores the lines of items {@code first, first + 1, ...}: written aside, then moved into place whole. */
    public void write(long first, List<String> lines) {
        try {
            Files.createDirectories(parts);
            Path part = parts.resolve(String.format("%019d-%d.txt", first, first + lines.size()));
            Path tmp = Files.createTempFile(parts, ".part-", ".tmp");
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (String line : lines) {
                    out.write(line);
                    out.write('\n');
                }
            }
            Files.move(tmp, part, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lines of items from " + first + " beside " + file + ": " + e, e);
        }
    }

    /**
     * Writes the file, whole, from the parts (and from {@code remake} where none holds an item),
     * and deletes the parts.
     *
     * @return how many lines had to be made again on the head
     */
    public long join() {
        long remade = 0;
        try {
            Files.createDirectories(file.getParent());
            TreeMap<Long, Part> byFirst = listParts();
            Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp");
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                long item = 0;
                while (item < items) {
                    Map.Entry<Long, Part> at = byFirst.floorEntry(item);
                    if (at != null && at.getValue().end() > item) {
                        Part part = at.getValue();
                        long end = Math.min(items, part.end());
                        try (BufferedReader in = Files.newBufferedReader(part.path(), StandardCharsets.UTF_8)) {
                            for (long skip = part.first(); skip < item; skip++) in.readLine();
                            for (; item < end; item++) {
                                String line = in.readLine();
                                if (line == null) throw new IOException(part.path() + " is cut short at item " + item);
                                out.write(line);
                                out.write('\n');
                            }
                        }
                    } else {
                        Long next = byFirst.higherKey(item);
                        long end = next == null ? items : Math.min(items, next);
                        for (; item < end; item++, remade++) {
                            out.write(remake.apply(item));
                            out.write('\n');
                        }
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            deleteParts();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        }
        return remade;
    }

    private record Part(long first, long end, Path path) {}

    private TreeMap<Long, Part> listParts() throws IOException {
        TreeMap<Long, Part> byFirst = new TreeMap<>();
        if (!Files.isDirectory(parts)) return byFirst;
        try (Stream<Path> listed = Files.list(parts)) {
            for (Path p : (Iterable<Path>) listed::iterator) {
                String name = p.getFileName().toString();
                if (!name.matches("\\d{19}-\\d+\\.txt")) continue;
                int dash = name.indexOf('-');
                long first = Long.parseLong(name.substring(0, dash));
                long end = Long.parseLong(name.substring(dash + 1, name.length() - 4));
                Part known = byFirst.get(first);
                if (known == null || known.end() < end) byFirst.put(first, new Part(first, end, p));
            }
        }
        return byFirst;
    }

    private void deleteParts() throws IOException {
        if (!Files.isDirectory(parts)) return;
        try (Stream<Path> walk = Files.walk(parts)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
