package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class JobOptionsTest {

    @Command(name = "job")
    static final class Job {
        @Mixin
        JobOptions options;
    }

    /** The options as picocli parses them for {@code grid run} and {@code grid submit}. */
    private static JobOptions withChunks(String chunks) {
        Job job = new Job();
        new CommandLine(job).parseArgs("noop", "--chunks", chunks);
        return job.options;
    }

    @ParameterizedTest(name = "--chunks {0}")
    @ValueSource(strings = {"1000", "1e3", "1k", "1_000"})
    void chunksAreWrittenAsTheReadmeSays(String text) {
        assertEquals(1000, withChunks(text).spec().chunks());
    }

    @ParameterizedTest(name = "--chunks {0}")
    @CsvSource(delimiter = '|', value = {
        "0    | --chunks must be at least 1, got 0",
        "-3   | --chunks must be at least 1, got -3",
        "abc  | --chunks: expected a whole number, got \"abc\"",
        "1.5  | --chunks: expected a whole number, got \"1.5\"",
        "1e30 | --chunks: 1e30 is too large; the most it takes is 9,223,372,036,854,775,807 (2^63 - 1, a long)"})
    void badChunksAreRefusedNamingTheOption(String text, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> withChunks(text).spec()).getMessage());
    }
}
