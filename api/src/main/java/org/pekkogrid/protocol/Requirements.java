package org.pekkogrid.protocol;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What one chunk of a job needs from the node that runs it.
 *
 * @param cpus        cores one chunk keeps busy (a slot is one core; 2 means two slots' worth)
 * @param memoryBytes heap one chunk may need at once; 0 for no requirement
 * @param tags        labels the node must advertise, such as {@code opencv}
 */
public record Requirements(double cpus, long memoryBytes, Set<String> tags) {

    public static final Requirements NONE = new Requirements(1, 0, Set.of());

    public Requirements {
        if (!(cpus > 0) || cpus > 4096) {
            throw new IllegalArgumentException("cpus must be above 0 and at most 4096, got " + cpus);
        }
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memory cannot be negative");
        }
        tags = Set.copyOf(tags == null ? Set.of() : tags);
    }

    /** Parses {@code cpus=1,memory=512m,tags=opencv}; several tags are joined with {@code +}. */
    public static Requirements parse(String text) {
        Requirements result = NONE;
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                    "requirement \"" + p + "\" is not key=value (keys: cpus, memory, tags)");
            }
            String key = p.substring(0, eq).trim();
            String value = p.substring(eq + 1).trim();
            result = switch (key) {
                case "cpus" -> {
                    try {
                        yield new Requirements(Double.parseDouble(value), result.memoryBytes, result.tags);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("cpus: not a number: \"" + value + "\"");
                    }
                }
                case "memory" -> {
                    try {
                        yield new Requirements(result.cpus, ByteSize.parse(value), result.tags);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("memory: " + e.getMessage());
                    }
                }
                case "tags", "tag" -> {
                    Set<String> tags = new TreeSet<>(result.tags);
                    Arrays.stream(value.split("[+;]")).map(String::trim).filter(t -> !t.isEmpty())
                        .forEach(tags::add);
                    yield new Requirements(result.cpus, result.memoryBytes, tags);
                }
                default -> throw new IllegalArgumentException(
                    "unknown requirement \"" + key + "\" (keys: cpus, memory, tags)");
            };
        }
        return result;
    }

    /** Both sets of requirements at once: the larger cpus and memory, all tags. */
    public Requirements and(Requirements other) {
        Set<String> all = new TreeSet<>(tags);
        all.addAll(other.tags);
        return new Requirements(Math.max(cpus, other.cpus), Math.max(memoryBytes, other.memoryBytes), all);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("cpus=").append(cpus == Math.rint(cpus) ? Long.toString((long) cpus) : Double.toString(cpus));
        if (memoryBytes > 0) b.append(",memory=").append(ByteSize.format(memoryBytes));
        if (!tags.isEmpty()) b.append(",tags=").append(new TreeSet<>(tags).stream().collect(Collectors.joining("+")));
        return b.toString();
    }
}
