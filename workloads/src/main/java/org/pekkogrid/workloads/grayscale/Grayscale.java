package org.pekkogrid.workloads.grayscale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.pekkogrid.protocol.ByteSize;
import org.pekkogrid.protocol.Requirements;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.Param;
import org.pekkogrid.workloads.Range;
import org.pekkogrid.workloads.Workload;

/**
 * OpenCV over a directory of images: each is decoded, converted ({@link Op}) and written to
 * the output directory under its own name and format. A bad image (missing, empty, truncated,
 * not an image) is a failed item: reported with its path and reason, counted in the answer,
 * and the chunk goes on.
 *
 * <p>Two modes. In paths mode (the default) every node sees the same filesystem, as in the lab
 * reports: a chunk is a slice of the sorted listing, derived on the worker from its index, and
 * results carry only counts. With {@code inline=true} the head reads the images into the
 * chunks and writes the outputs that come back, so workers need no shared filesystem; that
 * needs the SPI to let chunks travel (see {@link #chunksTravel}).
 */
public final class Grayscale implements Workload<Grayscale.Params, ImageChunk, ChunkOutcome, Summary> {

    /** The node tag that says OpenCV's natives load there. */
    public static final String OPENCV_TAG = "opencv";

    /** Default chunking: small enough that the last chunks do not leave cores idle, large enough to amortise a batch. */
    static final int IMAGES_PER_CHUNK = 4;

    static final long MIN_INLINE_CHUNK_BYTES = 64 << 10;
    static final long MAX_INLINE_CHUNK_BYTES = 256L << 20;

    public record Params(
            @Param("directory of the images to convert (.jpg, .jpeg, .jpe, .png, .bmp, .webp)") Path input,
            @Param("directory for the outputs, created when missing; neither input nor inside it") Path output,
            @Param(value = "gray, blur or edges", defaultValue = "gray") Op op,
            @Param(value = "replace outputs that exist with other bytes; false keeps them and counts them as"
                + " skipped. An output that holds exactly the bytes the job makes (written by a chunk that"
                + " ran before, or there before the job) counts as written and is not written again",
                defaultValue = "false") boolean overwrite,
            @Param(value = "ship image bytes inside chunks and outputs inside results: no shared filesystem",
                defaultValue = "false") boolean inline,
            @Param(value = "when inline, the most input bytes one chunk carries (keep below Artery's"
                + " maximum-large-frame-size, allowing as much again for the outputs)", defaultValue = "1m")
            long inlineChunkBytes) {

        public Params {
            if (input == null) throw new IllegalArgumentException("input: give the directory that holds the images");
            if (output == null) throw new IllegalArgumentException("output: give a directory for the outputs");
            if (op == null) throw new IllegalArgumentException("op: give one of gray, blur, edges");
            input = input.toAbsolutePath().normalize();
            output = output.toAbsolutePath().normalize();
            Path in = resolved(input);
            Path out = resolved(output);
            if (out.equals(in)) {
                throw new IllegalArgumentException("output: " + output + " is the input directory; "
                    + "give a separate directory for the outputs");
            }
            if (out.startsWith(in)) {
                throw new IllegalArgumentException("output: " + output + " is inside input " + input
                    + "; outputs there would be listed as inputs: give a directory outside it");
            }
            if (inlineChunkBytes < MIN_INLINE_CHUNK_BYTES || inlineChunkBytes > MAX_INLINE_CHUNK_BYTES) {
                throw new IllegalArgumentException("inlineChunkBytes must be between "
                    + ByteSize.format(MIN_INLINE_CHUNK_BYTES) + " and " + ByteSize.format(MAX_INLINE_CHUNK_BYTES)
                    + ", got " + inlineChunkBytes);
            }
        }

        /** The real path of the deepest existing ancestor plus the rest: a symlink cannot hide output inside input. */
        private static Path resolved(Path absolute) {
            Path existing = absolute;
            while (existing != null && !Files.exists(existing)) existing = existing.getParent();
            if (existing == null) return absolute;
            try {
                return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
            } catch (IOException e) {
                return absolute;
            }
        }
    }

    @Override
    public String name() {
        return "grayscale";
    }

    @Override
    public String description() {
        return "OpenCV on the images of directory input (op gray, blur or edges) into directory output;"
            + " bad images are reported, not fatal";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Class<ChunkOutcome> resultType() {
        return ChunkOutcome.class;
    }

    @Override
    public Set<String> tagsOffered() {
        return OpenCv.available() ? Set.of(OPENCV_TAG) : Set.of();
    }

    @Override
    public Requirements requirements(Params params) {
        return new Requirements(1, 0, Set.of(OPENCV_TAG));
    }

    @Override
    public long defaultChunks(Params params) {
        ImageDirectory images = ImageDirectory.list(params.input());
        long chunks = (images.count() + IMAGES_PER_CHUNK - 1) / IMAGES_PER_CHUNK;
        return params.inline() ? InlinePlan.fewestChunks(images, params.inlineChunkBytes(), chunks) : chunks;
    }

    /** The images: a link among them that leads outside the file roots would be read. */
    @Override
    public Map<String, List<Path>> filesWithin(Params params) {
        ImageDirectory images = ImageDirectory.list(params.input());
        List<Path> files = new ArrayList<>(images.count());
        for (String name : images.names(0, images.count())) files.add(images.dir().resolve(name));
        return Map.of("input", files);
    }

    @Override
    public long travellingChunkBytes(Params params) {
        return params.inlineChunkBytes();
    }

    /** Inline: the worker may have no input directory at all, so the head ships the images. */
    @Override
    public boolean chunksTravel(Params params) {
        return params.inline();
    }

    @Override
    public Class<ImageChunk> chunkType() {
        return ImageChunk.class;
    }

    @Override
    public ChunkSource<ImageChunk> split(Params params, long chunks) {
        ImageDirectory images = ImageDirectory.list(params.input());
        checkOutput(params.output());
        ChunkSource<Range> ranges = Range.split(images.count(), chunks, "images");
        if (params.inline()) InlinePlan.check(images, ranges, params.inlineChunkBytes());
        return ranges.map(r -> chunk(params, images, (int) r.start(), (int) r.end()));
    }

    private static ImageChunk chunk(Params params, ImageDirectory images, int from, int to) {
        List<ImageChunk.Item> items = new ArrayList<>(to - from);
        for (String name : images.names(from, to)) {
            items.add(params.inline() ? InlinePlan.read(images.dir(), name) : ImageChunk.Item.onDisk(name));
        }
        return new ImageChunk(params.input().toString(), params.output().toString(), params.op(),
            params.overwrite(), params.inline(), items);
    }

    /** An output path that exists must be a writable directory; a missing one is created by the first chunk. */
    private static void checkOutput(Path output) {
        Path existing = output;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return;
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException("output: " + existing + " exists and is not a directory; "
                + "give a directory for the outputs");
        }
        if (!Files.isWritable(existing)) {
            throw new IllegalArgumentException("output: cannot write to " + existing
                + " (permission denied); make it writable by the user that runs the grid");
        }
    }

    @Override
    public ChunkOutcome run(ImageChunk chunk, ChunkContext ctx) throws IOException {
        OpenCv.load();
        ctx.items(chunk.items().size());
        Path input = Path.of(chunk.input());
        OutputDirectory output = chunk.inline() ? null : new OutputDirectory(Path.of(chunk.output()), chunk.overwrite());
        if (output != null) output.create();
        Tally tally = new Tally();
        for (ImageChunk.Item item : chunk.items()) {
            String badName = OutputDirectory.nameProblem(item.name());
            if (badName != null) {
                tally.failed(ctx, input + "/" + OutputDirectory.quoted(item.name()),
                    "its output cannot be named after it: " + badName);
                continue;
            }
            String path = input.resolve(item.name()).toString();
            // Converted even when its output exists: only the bytes tell a run's own output from another file.
            byte[] bytes;
            ImageKernel.Processed processed;
            try {
                bytes = chunk.inline() ? shipped(item) : read(input.resolve(item.name()));
                processed = ImageKernel.process(bytes, ImageFormat.extension(item.name()), chunk.op());
            } catch (ImageKernel.BadImage e) {
                tally.failed(ctx, path, e.getMessage());
                continue;
            }
            tally.converted(bytes.length, processed);
            if (output == null) {
                tally.outputs.add(new ChunkOutcome.Output(item.name(), processed.bytes()));
                tally.written(processed.bytes().length);
            } else if (output.write(item.name(), processed.bytes()).counts()) {
                tally.written(processed.bytes().length);
            } else {
                tally.skipped++;
            }
        }
        return tally.outcome();
    }

    private static byte[] shipped(ImageChunk.Item item) throws ImageKernel.BadImage {
        if (item.unreadable() != null) throw new ImageKernel.BadImage(item.unreadable());
        return item.bytes();
    }

    /** Reads an input; a file that cannot be read is the item's failure, not the chunk's. */
    static byte[] read(Path file) throws ImageKernel.BadImage {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageKernel.BadImage("missing: it was listed when the job started and is gone now");
        } catch (AccessDeniedException e) {
            throw new ImageKernel.BadImage("cannot read it: permission denied");
        } catch (IOException e) {
            throw new ImageKernel.BadImage("cannot read it: " + e);
        }
    }

    /**
     * The fold's saved state: what {@link Summary} reports, with the times still in nanoseconds.
     *
     * @param failures the first failures in path order, at most {@link Summary#MAX_FAILURES}
     */
    public record Progress(long ok, long skipped, long failed, long bytesRead, long bytesWritten, long decodeNanos,
                           long opNanos, long encodeNanos, List<ChunkOutcome.Failure> failures) {

        static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0, 0, 0, List.of());
    }

    @Override
    public Aggregator<ChunkOutcome, Summary> aggregator(Params params, long chunks) {
        return new Fold(writer(params), Progress.NONE);
    }

    @Override
    public Class<Progress> foldStateType() {
        return Progress.class;
    }

    @Override
    public Aggregator<ChunkOutcome, Summary> resumeAggregator(Params params, long chunks, Object state) {
        Progress from = (Progress) state;
        if (from.failures().size() > Summary.MAX_FAILURES) {
            throw new IllegalArgumentException("a state that lists " + from.failures().size() + " failures, more than "
                + Summary.MAX_FAILURES);
        }
        return new Fold(writer(params), from);
    }

    /** Inline, the head writes the outputs as it folds; else the workers did. */
    private static OutputDirectory writer(Params params) {
        return params.inline() ? new OutputDirectory(params.output(), params.overwrite()) : null;
    }

    /** The baseline writes its own copy of the outputs, so it does all the work the job did. */
    @Override
    public Params baselineParams(Params params, Path scratch) {
        return new Params(params.input(), scratch, params.op(), true, false, params.inlineChunkBytes());
    }

    /** The baseline: the same kernel over every image, one thread, reading and writing files directly. */
    @Override
    public Summary runSequential(Params params) throws IOException {
        ImageDirectory images = ImageDirectory.list(params.input());
        checkOutput(params.output());
        Params onDisk = new Params(params.input(), params.output(), params.op(), params.overwrite(), false,
            params.inlineChunkBytes());
        ChunkOutcome outcome = run(chunk(onDisk, images, 0, images.count()), ChunkContext.local(0));
        Fold fold = new Fold(null, Progress.NONE);
        fold.add(0, outcome);
        return fold.result();
    }

    @Override
    public String summarize(Params params, Summary s) {
        StringBuilder b = new StringBuilder();
        b.append(s.images()).append(" images, op ").append(params.op().name().toLowerCase(Locale.ROOT))
            .append(": ").append(s.ok()).append(" written to ").append(params.output())
            .append(", ").append(s.skipped()).append(" skipped (a different file exists")
            .append(params.overwrite() ? ")" : "; overwrite=true replaces)")
            .append(", ").append(s.failed()).append(" failed");
        if (!s.failures().isEmpty()) {
            ChunkOutcome.Failure first = s.failures().get(0);
            b.append(" (first: ").append(first.item()).append(": ").append(first.reason()).append(")");
        }
        b.append("; read ").append(megabytes(s.bytesRead())).append(", wrote ").append(megabytes(s.bytesWritten()))
            .append("; decode ").append(s.decodeMillis()).append(" ms, op ").append(s.opMillis())
            .append(" ms, encode ").append(s.encodeMillis()).append(" ms (summed over threads)");
        return b.toString();
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** One chunk's counts while it runs. */
    private static final class Tally {
        int ok;
        int skipped;
        int failed;
        long bytesRead;
        long bytesWritten;
        long decodeNanos;
        long opNanos;
        long encodeNanos;
        final List<ChunkOutcome.Failure> failures = new ArrayList<>();
        final List<ChunkOutcome.Output> outputs = new ArrayList<>();

        void failed(ChunkContext ctx, String path, String reason) {
            ctx.itemFailed(path, reason);
            failed++;
            if (failures.size() < Summary.MAX_FAILURES) failures.add(new ChunkOutcome.Failure(path, reason));
        }

        void converted(long inputBytes, ImageKernel.Processed p) {
            bytesRead += inputBytes;
            decodeNanos += p.decodeNanos();
            opNanos += p.opNanos();
            encodeNanos += p.encodeNanos();
        }

        void written(long outputBytes) {
            ok++;
            bytesWritten += outputBytes;
        }

        ChunkOutcome outcome() {
            return new ChunkOutcome(ok, skipped, failed, bytesRead, bytesWritten, decodeNanos, opNanos, encodeNanos,
                failures, outputs);
        }
    }

    /**
     * Folds chunk outcomes on the head. In inline mode it also writes the outputs that came back:
     * the head is the one node that sees the output directory.
     *
     * <p>A fold resumed after a head died may be given chunks again that the dead head folded,
     * and wrote, after the state it resumes from was saved: an output that holds exactly the
     * bytes this chunk brings is then counted as written, and not written again (see
     * {@link OutputDirectory}). So does a file with those very bytes that was there before the
     * job, in a fold that never stopped as in a resumed one, so that both give one answer.
     */
    private static final class Fold implements Aggregator<ChunkOutcome, Summary> {
        private static final Comparator<ChunkOutcome.Failure> PATH_ORDER =
            Comparator.comparing(ChunkOutcome.Failure::item).thenComparing(ChunkOutcome.Failure::reason);

        private final OutputDirectory writer;
        private boolean created;
        private long ok;
        private long skipped;
        private long failed;
        private long bytesRead;
        private long bytesWritten;
        private long decodeNanos;
        private long opNanos;
        private long encodeNanos;
        private final List<ChunkOutcome.Failure> failures;

        Fold(OutputDirectory writer, Progress from) {
            this.writer = writer;
            ok = from.ok();
            skipped = from.skipped();
            failed = from.failed();
            bytesRead = from.bytesRead();
            bytesWritten = from.bytesWritten();
            decodeNanos = from.decodeNanos();
            opNanos = from.opNanos();
            encodeNanos = from.encodeNanos();
            failures = new ArrayList<>(from.failures());
        }

        @Override
        public void add(long chunkIndex, ChunkOutcome r) {
            if (writer == null) {
                ok += r.ok();
                bytesWritten += r.bytesWritten();
            } else {
                writeAll(r.outputs());  // counts ok and bytesWritten itself: some outputs may be kept
            }
            skipped += r.skipped();
            failed += r.failed();
            bytesRead += r.bytesRead();
            decodeNanos += r.decodeNanos();
            opNanos += r.opNanos();
            encodeNanos += r.encodeNanos();
            if (!r.failures().isEmpty()) {
                // The first in path order, not in arrival order: the same list whatever order chunks come in.
                failures.addAll(r.failures());
                failures.sort(PATH_ORDER);
                if (failures.size() > Summary.MAX_FAILURES) failures.subList(Summary.MAX_FAILURES, failures.size()).clear();
            }
        }

        private void writeAll(List<ChunkOutcome.Output> outputs) {
            try {
                if (!created) {
                    writer.create();
                    created = true;
                }
                for (ChunkOutcome.Output o : outputs) {
                    String problem = OutputDirectory.nameProblem(o.name());
                    if (problem != null) {
                        failedOutput(o.name(), problem);
                        continue;
                    }
                    if (writer.write(o.name(), o.bytes()).counts()) {
                        ok++;
                        bytesWritten += o.bytes().length;
                    } else {
                        skipped++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write outputs: " + e, e);
            }
        }

        /** An output the head will not write: a failed item, as a bad image is. */
        private void failedOutput(String name, String problem) {
            failed++;
            String item = writer.dir() + "/" + OutputDirectory.quoted(name);
            failures.add(new ChunkOutcome.Failure(item, "the worker's result names this output " + problem
                + "; nothing written"));
            failures.sort(PATH_ORDER);
            if (failures.size() > Summary.MAX_FAILURES) failures.subList(Summary.MAX_FAILURES, failures.size()).clear();
        }

        @Override
        public Summary result() {
            return new Summary(ok + skipped + failed, ok, skipped, failed, bytesRead, bytesWritten,
                decodeNanos / 1_000_000, opNanos / 1_000_000, encodeNanos / 1_000_000, failures);
        }

        @Override
        public Progress state() {
            return new Progress(ok, skipped, failed, bytesRead, bytesWritten, decodeNanos, opNanos, encodeNanos,
                List.copyOf(failures));
        }
    }
}
