package org.pekkogrid.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;

/**
 * The checked-in bytes of every record that goes on the wire or into a journal, so that a change
 * of the format shows in a diff and is made on purpose. A golden file has one line per sample,
 * {@code name manifest hex}; lines starting with {@code #} are comments.
 *
 * <p>To change the format deliberately, run the module's golden test with
 * {@code -Dgolden.update=true}: it rewrites the file under {@code src/test/resources/golden} from
 * the samples, and the diff shows what changed. For a persisted record (journal events and
 * snapshots) old bytes stay in databases: keep the old line under a new name in the file of
 * {@code legacy} samples, and read it with a {@code JacksonMigration} (see
 * {@code docs/wire-format.md}).
 */
public final class GoldenBytes {

    private GoldenBytes() {}

    /** A sample under a stable name, such as {@code RunChunks-1}. */
    public record Sample(String name, Object message) {}

    /** Names each sample by its class's simple name and its number among samples of that class. */
    public static List<Sample> named(List<?> messages) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<Sample> out = new ArrayList<>();
        for (Object m : messages) {
            String simple = m.getClass().getName().substring(m.getClass().getPackageName().length() + 1);
            int n = seen.merge(simple, 1, Integer::sum);
            out.add(new Sample(simple + "-" + n, m));
        }
        return out;
    }

    /** What one line of a golden file holds. */
    public record Golden(String manifest, byte[] bytes) {}

    /**
     * Checks that each sample serializes to its golden bytes and that the golden bytes read back
     * to a record equal to the sample, field by field; with {@code -Dgolden.update=true} writes
     * the file instead.
     *
     * @param module the module directory's name: the file is {@code <module>/src/test/resources/golden/<file>}
     */
    public static void check(Serialization serialization, String module, String file, List<Sample> samples) {
        Path path = goldenFile(module, file);
        if (Boolean.getBoolean("golden.update")) {
            write(serialization, path, samples);
            return;
        }
        Map<String, Golden> golden = read(path);
        List<String> names = new ArrayList<>();
        for (Sample s : samples) {
            names.add(s.name());
            Golden g = golden.get(s.name());
            if (g == null) {
                fail("no golden bytes for " + s.name() + " in " + path
                    + ": a new wire record; run the test with -Dgolden.update=true and check the file in");
            }
            Serializer serializer = serialization.findSerializerFor(s.message());
            assertInstanceOf(JacksonCborSerializer.class, serializer, s.name());
            String manifest = Serializers.manifestFor(serializer, s.message());
            assertEquals(g.manifest(), manifest, s.name() + ": the manifest (class name) changed");
            byte[] bytes = serialization.serialize(s.message()).get();
            assertEquals(HexFormat.of().formatHex(g.bytes()), HexFormat.of().formatHex(bytes), s.name()
                + ": the wire format changed. If on purpose, run with -Dgolden.update=true and check the"
                + " file in; for a persisted record, add a migration (docs/wire-format.md)");
            Object back = serialization.deserialize(g.bytes(), serializer.identifier(), g.manifest()).get();
            WireFormatTest.assertSameFields(s.message(), back, s.name());
        }
        List<String> stale = new ArrayList<>(golden.keySet());
        stale.removeAll(names);
        assertTrue(stale.isEmpty(), "golden bytes without a sample in " + path + ": " + stale);
    }

    /**
     * Reads the bytes of an older format's file back, each into a record with the same fields as
     * its sample today (samples newer than that format are skipped).
     *
     * @return how many of the file's records were read back
     */
    public static int checkReadsBack(Serialization serialization, String module, String file, List<Sample> samples) {
        Map<String, Golden> old = read(goldenFile(module, file));
        int read = 0;
        for (Sample s : samples) {
            Golden g = old.get(s.name());
            if (g == null) continue;
            int id = serialization.findSerializerFor(s.message()).identifier();
            Object back = serialization.deserialize(g.bytes(), id, g.manifest()).get();
            WireFormatTest.assertSameFields(s.message(), back, s.name() + " of " + file);
            read++;
        }
        return read;
    }

    /** The golden bytes of a file, by sample name, as they are (for reading old formats). */
    public static Map<String, Golden> read(String module, String file) {
        return read(goldenFile(module, file));
    }

    private static Map<String, Golden> read(Path path) {
        Map<String, Golden> golden = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.trim().split(" ");
                golden.put(parts[0], new Golden(parts[1], HexFormat.of().parseHex(parts[2])));
            }
        } catch (IOException e) {
            fail("cannot read " + path + " (" + e + "); write it with -Dgolden.update=true");
        }
        return golden;
    }

    private static void write(Serialization serialization, Path path, List<Sample> samples) {
        StringBuilder out = new StringBuilder();
        out.append("# Golden CBOR bytes: name, manifest, hex. Written by GoldenBytes with -Dgolden.update=true;\n");
        out.append("# a diff here is a change of the wire (or journal) format: see docs/wire-format.md.\n");
        for (Sample s : samples) {
            Serializer serializer = serialization.findSerializerFor(s.message());
            byte[] bytes = serialization.serialize(s.message()).get();
            out.append(s.name()).append(' ').append(Serializers.manifestFor(serializer, s.message())).append(' ')
                .append(HexFormat.of().formatHex(bytes)).append('\n');
        }
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            fail("cannot write " + path + ": " + e);
        }
    }

    /** The source file, not the copy in target/: Maven runs each module's tests in its own directory. */
    private static Path goldenFile(String module, String file) {
        Path here = Path.of("").toAbsolutePath();
        Path moduleDir = here.getFileName().toString().equals(module) ? here : here.resolve(module);
        return moduleDir.resolve("src/test/resources/golden").resolve(file);
    }
}
