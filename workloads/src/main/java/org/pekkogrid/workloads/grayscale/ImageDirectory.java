package org.pekkogrid.workloads.grayscale;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The images of an input directory as every node lists it: regular files with an image
 * extension, hidden files skipped, sorted by name (code points, not locale). The head and
 * each worker list it independently and chunk i is a slice of the list, so the directory must
 * not change while a job runs; outputs never land in it, which is why output may not be inside
 * input.
 */
final class ImageDirectory {

    private final Path dir;
    private final List<String> names;
    private final long[] sizes;

    private ImageDirectory(Path dir, List<String> names, long[] sizes) {
        this.dir = dir;
        this.names = names;
        this.sizes = sizes;
    }

    /** Lists {@code dir}; every problem is an {@link IllegalArgumentException} naming the input parameter. */
    static ImageDirectory list(Path dir) {
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException("input: " + dir + " does not exist; give the directory that holds the images");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("input: " + dir + " is not a directory; give the directory that holds the images");
        }
        Map<String, Long> images = new TreeMap<>();
        int others = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) continue;
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(entry, BasicFileAttributes.class);  // follows links
                } catch (NoSuchFileException gone) {
                    continue;  // a dangling link, or deleted while we listed
                }
                if (!attributes.isRegularFile()) continue;
                if (ImageFormat.isImageName(name)) {
                    images.put(name, attributes.size());
                } else {
                    others++;
                }
            }
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("input: cannot read " + dir
                + " (permission denied); make it readable by the user that runs the grid");
        } catch (IOException e) {
            throw new IllegalArgumentException("input: cannot list " + dir + ": " + e);
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("input: " + dir + " holds no images (looked for ."
                + String.join(", .", new TreeSet<>(ImageFormat.EXTENSIONS)) + "; hidden files are skipped"
                + (others > 0 ? "; " + others + " other files ignored" : "") + ")");
        }
        List<String> names = new ArrayList<>(images.keySet());
        long[] sizes = images.values().stream().mapToLong(Long::longValue).toArray();
        return new ImageDirectory(dir, List.copyOf(names), sizes);
    }

    Path dir() {
        return dir;
    }

    int count() {
        return names.size();
    }

    String name(int i) {
        return names.get(i);
    }

    /** The names of images {@code [from, to)}. */
    List<String> names(int from, int to) {
        return names.subList(from, to);
    }

    /** Bytes of images {@code [from, to)} when they were listed. */
    long bytes(int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i++) sum += sizes[i];
        return sum;
    }

    long size(int i) {
        return sizes[i];
    }
}
