package org.pekkogrid.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobReport;

/**
 * A job's report as files in one directory ({@code grid run/submit --report DIR}):
 * {@code report.json} (the whole report; it reads back as a {@link JobReport}), {@code chunks.csv},
 * {@code nodes.csv}, {@code queue.csv}, {@code samples.csv}, PNG plots and {@code report.md},
 * a summary that links the plots.
 */
public final class ReportFiles {

    public static final String JSON = "report.json";
    public static final String MARKDOWN = "report.md";

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportFiles() {}

    /**
     * Writes the files (replacing ones of the same name) and returns their paths.
     *
     * @param result how the job ended, for its answer and status
     * @param report the report to write: the result's own, or one with a baseline added
     */
    public static List<Path> write(JobResult result, JobReport report, Path dir) throws IOException {
        if (report == null) throw new IllegalArgumentException("job " + result.jobId() + " has no report to write ("
            + result.status() + ": " + result.error() + ")");
        prepare(dir);
        List<Path> written = new ArrayList<>();
        Path json = dir.resolve(JSON);
        MAPPER.writeValue(json.toFile(), report);
        written.add(json);
        written.addAll(ReportCsv.write(report, dir));
        ReportPlots.Drawn plots = ReportPlots.draw(report, dir);
        written.addAll(plots.files());
        Path md = dir.resolve(MARKDOWN);
        ReportMarkdown.of(result, report, plots, Machine.current()).write(md);
        written.add(md);
        return written;
    }

    /**
     * Creates the directory, or checks an existing one is writable: call it before a job runs, so
     * that a bad {@code --report} path is refused before any work is done.
     */
    public static void prepare(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--report " + dir + ": exists and is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("--report " + dir + ": cannot create the directory (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir)) throw new IllegalArgumentException("--report " + dir + ": the directory is not writable");
    }

    /** Reads a {@code report.json} back. */
    public static JobReport read(Path json) throws IOException {
        return MAPPER.readValue(json.toFile(), JobReport.class);
    }
}
