package org.pekkogrid.workloads.grayscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFormatTest {

    static byte[] image(String ext) {
        return ImageGenerator.encode(ext, 64, 48, new SplittableRandom(1));
    }

    @Test
    void wholeImagesPass() {
        for (String ext : new String[] {".jpg", ".png", ".bmp", ".webp"}) {
            assertEquals(Optional.empty(), ImageFormat.incomplete(image(ext)), ext);
        }
    }

    @Test
    void aJpegPaddedWithZerosAfterItsEndIsWhole() {
        byte[] jpeg = image(".jpg");
        assertEquals(Optional.empty(), ImageFormat.incomplete(Arrays.copyOf(jpeg, jpeg.length + 100)));
    }

    @Test
    void truncatedImagesAreCaughtByFormat() {
        for (String ext : new String[] {".jpg", ".png", ".bmp", ".webp"}) {
            byte[] whole = image(ext);
            Optional<String> problem = ImageFormat.incomplete(Arrays.copyOf(whole, whole.length - 10));
            assertTrue(problem.isPresent() && problem.get().startsWith("truncated"), ext + ": " + problem);
        }
    }

    @Test
    void aTextFileIsDescribedByItsFirstCharacters() {
        ImageKernel.BadImage e = org.junit.jupiter.api.Assertions.assertThrows(ImageKernel.BadImage.class,
            () -> ImageKernel.process("hello, world\n".getBytes(), "jpg", Op.GRAY));
        assertEquals("not an image OpenCV can decode (13 bytes, starting \"hello, world\\n\")", e.getMessage());
    }

    @Test
    void theSameSeedWritesTheSameFiles(@TempDir Path dir) throws Exception {
        var a = ImageGenerator.generate(dir.resolve("a"), 3, 48, 32, 2, 99);
        var b = ImageGenerator.generate(dir.resolve("b"), 3, 48, 32, 2, 99);
        assertEquals(a.images().size() + a.corrupt().size(), 5);
        for (int i = 0; i < a.images().size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.images().get(i)), Files.readAllBytes(b.images().get(i)));
        }
    }
}
