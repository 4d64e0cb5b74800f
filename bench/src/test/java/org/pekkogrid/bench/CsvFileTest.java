package org.pekkogrid.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFileTest {

    @TempDir
    Path dir;

    @Test
    void numbersUseADotAndTextWithCommasOrQuotesIsQuoted() throws IOException {
        Path file = dir.resolve("runs.csv");
        try (CsvFile csv = CsvFile.create(file, "name", "ms", "note")) {
            csv.row("leibniz-pi", 1234.5, "a, b");
            csv.row("say \"hi\"", 3L, null);
            assertEquals(2, csv.rows());
        }

        assertEquals(List.of("name,ms,note", "leibniz-pi,1234.5000,\"a, b\"", "\"say \"\"hi\"\"\",3,"),
            Files.readAllLines(file));
    }

    @Test
    void aRowOfTheWrongWidthIsRefused() throws IOException {
        try (CsvFile csv = CsvFile.create(dir.resolve("x.csv"), "a", "b")) {
            assertThrows(IllegalArgumentException.class, () -> csv.row(1));
        }
    }
}
