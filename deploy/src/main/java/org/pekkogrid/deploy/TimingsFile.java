package org.pekkogrid.deploy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pekkogrid.bench.ChunkRowsCsv;
import org.pekkogrid.protocol.JobReport.ChunkRow;

/** Every chunk's timings, appended to a CSV file as they stream in from the head (the columns of a report's chunks.csv). */
final class TimingsFile implements AutoCloseable {

    static final String HEADER = ChunkRowsCsv.HEADER;

    private final BufferedWriter out;
    private long rows;

    TimingsFile(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write(HEADER);
            out.newLine();
        } catch (IOException e) {
            throw new IllegalArgumentException("--timings " + file + ": cannot write it (" + e.getMessage() + ")");
        }
    }

    synchronized void append(List<ChunkRow> batch) {
        try {
            for (ChunkRow r : batch) {
                out.write(line(r));
                out.newLine();
            }
            rows += batch.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String line(ChunkRow r) {
        return ChunkRowsCsv.line(r);
    }

    synchronized long rows() {
        return rows;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
