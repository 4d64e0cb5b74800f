package org.pekkogrid.workloads.grayscale;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.workloads.BoundJob;

/** Bad parameters are rejected at bind time with a message that names the parameter. */
class GrayscaleParamsTest {

    @TempDir
    static Path root;
    static Path images;
    static Path anImage;

    @BeforeAll
    static void twoImages() throws IOException {
        images = root.resolve("images");
        anImage = ImageGenerator.generate(images, 2, 32, 32, 0, 1).images().get(0);
    }

    static String rejected(Map<String, String> params) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("grayscale", params, 0, GridHarness.MAX_CHUNKS));
        return e.getMessage();
    }

    static void assertNames(String parameter, String message) {
        assertTrue(message.startsWith(parameter) || message.contains(" " + parameter),
            "the message should name " + parameter + ": " + message);
    }

    @Test
    void aMissingInputDirectoryIsRejected() {
        String m = rejected(Map.of("input", root.resolve("nope").toString(), "output", root.resolve("o").toString()));
        assertNames("input", m);
        assertTrue(m.contains("does not exist"), m);
    }

    @Test
    void anInputThatIsAFileIsRejected() throws IOException {
        Path file = anImage;
        String m = rejected(Map.of("input", file.toString(), "output", root.resolve("o").toString()));
        assertNames("input", m);
        assertTrue(m.contains("not a directory"), m);
    }

    @Test
    void anInputWithoutImagesIsRejected(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "no pictures here");
        Files.write(dir.resolve(".hidden.jpg"), Files.readAllBytes(anImage));
        String m = rejected(Map.of("input", dir.toString(), "output", root.resolve("o").toString()));
        assertNames("input", m);
        assertTrue(m.contains("holds no images") && m.contains("1 other files ignored"), m);
    }

    @Test
    void anUnreadableInputIsRejected(@TempDir Path dir) throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads any directory");
        Files.copy(anImage, dir.resolve("a.jpg"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("---------"));
        try {
            String m = rejected(Map.of("input", dir.toString(), "output", root.resolve("o").toString()));
            assertNames("input", m);
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void outputEqualToInputIsRejected() {
        String m = rejected(Map.of("input", images.toString(), "output", images.resolve(".").toString()));
        assertNames("output", m);
        assertTrue(m.contains("is the input directory"), m);
    }

    @Test
    void outputInsideInputIsRejectedEvenThroughASymlink() throws IOException {
        String m = rejected(Map.of("input", images.toString(), "output", images.resolve("gray").toString()));
        assertNames("output", m);
        assertTrue(m.contains("inside input"), m);

        Path link = Files.createSymbolicLink(root.resolve("link-to-images"), images);
        m = rejected(Map.of("input", images.toString(), "output", link.resolve("gray").toString()));
        assertTrue(m.contains("inside input"), m);
    }

    @Test
    void anOutputThatIsAFileIsRejected() throws IOException {
        Path file = Files.writeString(root.resolve("a-file"), "x");
        String m = rejected(Map.of("input", images.toString(), "output", file.toString()));
        assertNames("output", m);
        assertTrue(m.contains("not a directory"), m);
    }

    @Test
    void anUnknownOpIsRejectedWithTheKnownOnes() {
        String m = rejected(Map.of("input", images.toString(), "output", root.resolve("o").toString(), "op", "sharpen"));
        assertNames("op", m);
        assertTrue(m.contains("[blur, edges, gray]"), m);
    }

    @Test
    void requiredParametersAreNamed() {
        assertNames("input", rejected(Map.of("output", root.resolve("o").toString())));
        assertNames("output", rejected(Map.of("input", images.toString())));
    }

    @Test
    void moreChunksThanImagesIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoundJob.bind("grayscale",
            Map.of("input", images.toString(), "output", root.resolve("o").toString()), 3, GridHarness.MAX_CHUNKS));
        assertTrue(e.getMessage().contains("exceeds images (2)"), e.getMessage());
    }
}
