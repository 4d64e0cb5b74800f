package org.pekkogrid.workloads.grayscale;

import java.util.List;

/**
 * One chunk: a contiguous slice of the input directory's sorted image list.
 *
 * <p>In paths mode only names travel (in fact nothing travels: each worker derives the chunk
 * from its index) and the worker reads {@code input/name} and writes {@code output/name}.
 * When chunks travel ({@code inline=true}), the head fills in each item's bytes and the
 * worker touches no file: the outputs ride back in the result and the head writes them.
 *
 * @param input  the input directory, absolute: item paths in failure reports are resolved against it
 * @param output the output directory, absolute
 * @param inline whether items carry their bytes and results carry the outputs
 */
public record ImageChunk(String input, String output, Op op, boolean overwrite, boolean inline, List<Item> items) {

    public ImageChunk {
        items = List.copyOf(items);
    }

    /**
     * One image.
     *
     * @param bytes      the file's content when the chunk travels; null in paths mode
     * @param unreadable when the chunk travels and the head could not read the file, why; else null
     */
    public record Item(String name, byte[] bytes, String unreadable) {

        static Item onDisk(String name) {
            return new Item(name, null, null);
        }
    }
}
