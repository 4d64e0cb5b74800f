package org.pekkogrid.workloads.grayscale;

import java.nio.file.Path;
import org.pekkogrid.protocol.ByteSize;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.Range;

/**
 * Chunking when chunks carry their images: each chunk's input bytes must stay within
 * {@code inlineChunkBytes}, so that a chunk, and the result that carries its outputs back,
 * each fit in one Artery large message.
 */
final class InlinePlan {

    private InlinePlan() {}

    /** The fewest chunks, at least {@code atLeast}, whose even slices of the listing all fit. */
    static long fewestChunks(ImageDirectory images, long limitBytes, long atLeast) {
        checkEachImageFits(images, limitBytes);
        long total = images.bytes(0, images.count());
        long n = Math.max(atLeast, (total + limitBytes - 1) / limitBytes);
        for (; n < images.count(); n++) {
            if (largest(images, Range.split(images.count(), n, "images")) <= limitBytes) return n;
        }
        return images.count();  // one image per chunk: fits, since each image does
    }

    /** Throws when a chunk of this plan would carry more than the limit, saying how many chunks would do. */
    static void check(ImageDirectory images, ChunkSource<Range> ranges, long limitBytes) {
        checkEachImageFits(images, limitBytes);
        if (largest(images, ranges) > limitBytes) {
            throw new IllegalArgumentException("inline: with " + ranges.count() + " chunks a chunk would carry more than"
                + " inlineChunkBytes=" + ByteSize.format(limitBytes) + " of images; use at least "
                + fewestChunks(images, limitBytes, ranges.count()) + " chunks, or leave chunks unset");
        }
    }

    private static void checkEachImageFits(ImageDirectory images, long limitBytes) {
        for (int i = 0; i < images.count(); i++) {
            if (images.size(i) > limitBytes) {
                throw new IllegalArgumentException("inline: " + images.dir().resolve(images.name(i)) + " has "
                    + images.size(i) + " bytes, more than inlineChunkBytes=" + ByteSize.format(limitBytes)
                    + "; raise inlineChunkBytes (and Artery's maximum-large-frame-size) or use paths mode");
            }
        }
    }

    private static long largest(ImageDirectory images, ChunkSource<Range> ranges) {
        long largest = 0;
        for (long i = 0; i < ranges.count(); i++) {
            Range r = ranges.chunk(i);
            largest = Math.max(largest, images.bytes((int) r.start(), (int) r.end()));
        }
        return largest;
    }

    /** Reads an image into a chunk on the head; a file it cannot read travels as the reason. */
    static ImageChunk.Item read(Path dir, String name) {
        try {
            return new ImageChunk.Item(name, Grayscale.read(dir.resolve(name)), null);
        } catch (ImageKernel.BadImage e) {
            return new ImageChunk.Item(name, null, e.getMessage());
        }
    }
}
