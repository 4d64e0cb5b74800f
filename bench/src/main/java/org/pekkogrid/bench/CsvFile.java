package org.pekkogrid.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A CSV file written a row at a time and flushed after each, so that a benchmark that dies
 * part way leaves every run measured so far.
 */
public final class CsvFile implements AutoCloseable {

    private final Path file;
    private final int columns;
    private final BufferedWriter out;
    private long rows;

    private CsvFile(Path file, List<String> header) throws IOException {
        this.file = file;
        this.columns = header.size();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write(String.join(",", header.stream().map(CsvFile::cell).toList()));
        out.newLine();
        out.flush();
    }

    public static CsvFile create(Path file, String... header) throws IOException {
        return new CsvFile(file, List.of(header));
    }

    /** One row; numbers are written with a dot, whatever the locale. */
    public void row(Object... values) {
        if (values.length != columns) {
            throw new IllegalArgumentException(file.getFileName() + ": a row of " + values.length
                + " values for " + columns + " columns");
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) line.append(',');
            line.append(cell(values[i]));
        }
        try {
            out.write(line.toString());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        rows++;
    }

    public long rows() {
        return rows;
    }

    public Path path() {
        return file;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    static String cell(Object value) {
        if (value == null) return "";
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) return "";
            return String.format(Locale.ROOT, "%.4f", d);
        }
        String text = value.toString();
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0) return text;
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
