package org.pekkogrid.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParamsTest {

    enum Mode { FAST, VERY_CAREFUL }

    record Knobs(
            @Param(value = "how many, a count", defaultValue = "10") long count,
            @Param(value = "threads", defaultValue = "1") int threads,
            @Param(value = "fraction, 0..1", defaultValue = "0.5") double rate,
            @Param(value = "keep going", defaultValue = "false") boolean keep,
            @Param(value = "how long to wait", defaultValue = "30s") Duration pause,
            @Param(value = "how", defaultValue = "fast") Mode mode,
            @Param(value = "a label", defaultValue = "none") String label,
            @Param(value = "where", defaultValue = "/tmp") Path dir,
            @Param(value = "a size", defaultValue = "64k") long bufferBytes) {
        Knobs {
            if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    record Required(@Param("the input, a directory") Path input, long size) {}

    private static Knobs bind(Map<String, String> raw) {
        return Params.bind("knobs", Knobs.class, raw);
    }

    private static String rejection(Map<String, String> raw) {
        return assertThrows(IllegalArgumentException.class, () -> bind(raw)).getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2000000000", "2_000_000_000", "2,000,000,000", "2e9", "2E9", "2.0e9", " 2000000000 "})
    void wholeNumbersAsPeopleWriteThem(String text) {
        assertEquals(2_000_000_000L, bind(Map.of("count", text)).count());
    }

    @Test
    void countSuffixesAreDecimal() {
        assertEquals(4_000, bind(Map.of("count", "4k")).count());
        assertEquals(1_000_000, bind(Map.of("count", "1m")).count());
        assertEquals(2_500_000_000L, bind(Map.of("count", "2.5g")).count());
        assertEquals(1_000_000_000_000L, bind(Map.of("count", "1T")).count());
        assertEquals(2_000, bind(Map.of("threads", "2k")).threads());
    }

    @Test
    void sizeSuffixesAreBinary() {
        assertEquals(64 << 10, bind(Map.of()).bufferBytes());
        assertEquals(512L << 20, bind(Map.of("bufferBytes", "512m")).bufferBytes());
        assertEquals(1L << 30, bind(Map.of("bufferBytes", "1gb")).bufferBytes());
    }

    @ParameterizedTest(name = "count={0}")
    @ValueSource(strings = {"2.5", "abc", "", "1e-3", "1e-999999999", "4x", "-4k", "1.0005k", "1gb"})
    void aLongRefusesWhatIsNotAWholeNumberNamingTheParameter(String text) {
        assertEquals("--param count: expected a whole number, got \"" + text + "\"", rejection(Map.of("count", text)));
    }

    @ParameterizedTest(name = "count={0}")
    @ValueSource(strings = {"9223372036854775808", "10000000t", "1e30", "1e999999999"})
    void aLongTooLargeSaysSoAndGivesTheMost(String text) {
        assertEquals("--param count: " + text + " is too large; the most it takes is 9,223,372,036,854,775,807 (2^63 - 1, a long)",
            rejection(Map.of("count", text)));
        assertEquals(Long.MAX_VALUE, bind(Map.of("count", "9223372036854775807")).count());
    }

    @Test
    void anIntRefusesWhatDoesNotFitInOne() {
        assertEquals("--param threads: 3000000000 is too large; the most it takes is 2,147,483,647 (2^31 - 1, an int)",
            rejection(Map.of("threads", "3000000000")));
        assertEquals("--param threads: -3e9 is too small; the least it takes is -2,147,483,648 (-2^31, an int)",
            rejection(Map.of("threads", "-3e9")));
        assertEquals(2_147_483_647, bind(Map.of("threads", "2147483647")).threads());
    }

    @ParameterizedTest(name = "--chunks {0}")
    @ValueSource(strings = {"1000", "1e3", "1E3", "1k", "1K", "1_000", "1,000", "1.0e3", " 1000 "})
    void aCommandLineCountTakesTheSameSpellings(String text) {
        assertEquals(1000, Params.wholeNumber("--chunks", text, 1));
    }

    @Test
    void aCommandLineCountNamesItsOptionWhenRefused() {
        assertEquals("--chunks: expected a whole number, got \"1.5\"",
            assertThrows(IllegalArgumentException.class, () -> Params.wholeNumber("--chunks", "1.5", 1)).getMessage());
        assertEquals("--chunks must be at least 1, got 0",
            assertThrows(IllegalArgumentException.class, () -> Params.wholeNumber("--chunks", "0", 1)).getMessage());
        assertEquals("--chunks: 1e19 is too large; the most it takes is 9,223,372,036,854,775,807 (2^63 - 1, a long)",
            assertThrows(IllegalArgumentException.class, () -> Params.wholeNumber("--chunks", "1e19", 1)).getMessage());
    }

    @Test
    void doublesAreFiniteNumbers() {
        assertEquals(0.25, bind(Map.of("rate", "0.25")).rate());
        assertEquals(1e-3, bind(Map.of("rate", "1e-3")).rate());
        assertEquals(1000.5, bind(Map.of("rate", "1_000.5")).rate());
        for (String bad : List.of("NaN", "Infinity", "half")) {
            assertEquals("--param rate: expected a number, got \"" + bad + "\"", rejection(Map.of("rate", bad)));
        }
    }

    @ParameterizedTest
    @CsvSource({"true,true", "yes,true", "on,true", "1,true", "TRUE,true",
        "false,false", "no,false", "off,false", "0,false"})
    void booleansInTheUsualSpellings(String text, boolean expected) {
        assertEquals(expected, bind(Map.of("keep", text)).keep());
    }

    @Test
    void aBooleanRefusesAnythingElse() {
        assertEquals("--param keep: expected true or false, got \"maybe\"", rejection(Map.of("keep", "maybe")));
    }

    @ParameterizedTest
    @CsvSource({"500ms,500", "30s,30000", "1.5s,1500", "2m,120000", "250,250", "0s,0"})
    void durationsWithTheirUnit(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), bind(Map.of("pause", text)).pause());
    }

    @Test
    void aDurationWithoutAKnownUnitIsRefused() {
        for (String bad : List.of("soon", "2h", "5 min")) {
            String message = rejection(Map.of("pause", bad));
            assertTrue(message.startsWith("--param pause: expected a duration such as 500ms or 30s"), message);
            assertTrue(message.contains(bad), message);
        }
    }

    @Test
    void enumsIgnoreCaseAndTakeDashes() {
        assertEquals(Mode.FAST, bind(Map.of("mode", "FAST")).mode());
        assertEquals(Mode.VERY_CAREFUL, bind(Map.of("mode", "very-careful")).mode());
        assertEquals(Mode.VERY_CAREFUL, bind(Map.of("mode", "Very_Careful")).mode());
        assertEquals("--param mode: \"slow\" is not one of [fast, very_careful]", rejection(Map.of("mode", "slow")));
    }

    @Test
    void stringsAndPaths() {
        Knobs k = bind(Map.of("label", "  spaced  ", "dir", "images/in"));
        assertEquals("spaced", k.label());
        assertEquals(Path.of("images/in"), k.dir());
        assertEquals("--param dir: empty path", rejection(Map.of("dir", " ")));
    }

    record Optional(@Param(value = "a file to write", optional = true) Path out) {}

    @Test
    void anOptionalParameterLeftOutIsNullAndListedAsNone() {
        assertEquals(null, Params.bind("opt", Optional.class, Map.of()).out());
        assertEquals(Path.of("x.txt"), Params.bind("opt", Optional.class, Map.of("out", "x.txt")).out());
        assertEquals("none", Params.describe(Optional.class).get(0).defaultValue());
    }

    @Test
    void defaultsFillWhatIsNotGiven() {
        assertEquals(new Knobs(10, 1, 0.5, false, Duration.ofSeconds(30), Mode.FAST, "none", Path.of("/tmp"), 64 << 10),
            bind(Map.of()));
    }

    @Test
    void anUnknownParameterListsTheKnownOnes() {
        assertEquals("unknown parameter \"cuont\" for knobs; known: count, threads, rate, keep, pause, mode, label, dir, bufferBytes",
            rejection(Map.of("cuont", "5")));
    }

    @Test
    void aWorkloadWithoutParametersSaysItTakesNone() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Params.bind("noop", org.pekkogrid.workloads.noop.Noop.Params.class, Map.of("terms", "5")));
        assertEquals("unknown parameter \"terms\" for noop; it takes none", e.getMessage());
    }

    @Test
    void aMissingRequiredParameterIsNamedWithItsMeaning() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Params.bind("convert", Required.class, Map.of("size", "1")));
        assertEquals("convert needs --param input=... (the input, a directory)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> Params.bind("convert", Required.class, Map.of("input", "x")));
        assertEquals("convert needs --param size=...", e.getMessage());
    }

    @Test
    void theRecordsOwnChecksSpeakForThemselves() {
        assertEquals("threads must be at least 1, got 0", rejection(Map.of("threads", "0")));
    }

    @Test
    void builtInWorkloadsBindByName() {
        BoundJob<?, ?, ?, ?> job = BoundJob.bind("leibniz-pi", Map.of("terms", "2e9"), 0, 1000);
        assertEquals(new org.pekkogrid.workloads.leibniz.LeibnizPi.Params(2_000_000_000L), job.params());
        assertEquals(256, job.chunks());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("leibniz-pi", Map.of("terms", "0"), 0, 1000));
        assertEquals("terms must be at least 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BoundJob.bind("leibniz-pi", Map.of(), 2000, 1000));
        assertEquals("chunks (2000) exceeds the grid's maximum of 1000 (grid.job.max-chunks)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BoundJob.bind("lebniz-pi", Map.of(), 0, 1000));
        assertTrue(e.getMessage().startsWith("unknown workload \"lebniz-pi\"; known: "), e.getMessage());
        assertTrue(e.getMessage().contains("leibniz-pi") && e.getMessage().contains("monte-carlo-pi"), e.getMessage());
    }

    @Test
    void describeListsEachParameterWithItsMeaningAndDefault() {
        assertEquals(new Params.Description("count", "long", "how many, a count", "10"),
            Params.describe(Knobs.class).get(0));
        assertEquals(new Params.Description("input", "Path", "the input, a directory", ""),
            Params.describe(Required.class).get(0));
    }
}
