package org.pekkogrid.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequirementsTest {

    @Test
    void parsesCpusMemoryAndSeveralTags() {
        Requirements r = Requirements.parse("cpus=1,memory=512m,tags=opencv+gpu");
        assertEquals(1.0, r.cpus());
        assertEquals(512L << 20, r.memoryBytes());
        assertEquals(Set.of("opencv", "gpu"), r.tags());
    }

    @Test
    void keysMayComeInAnyOrderWithSpacesAndRepeatedTags() {
        Requirements r = Requirements.parse(" tags = opencv , cpus = 0.5 , tag=gpu;fpga ,");
        assertEquals(0.5, r.cpus());
        assertEquals(0, r.memoryBytes());
        assertEquals(Set.of("opencv", "gpu", "fpga"), r.tags());
    }

    @Test
    void nothingRequiredIsOneCpu() {
        assertEquals(Requirements.NONE, Requirements.parse(""));
        assertEquals(new Requirements(1, 0, Set.of()), Requirements.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "gpus=1            | gpus",
        "cpus=many         | cpus",
        "cpus=0            | cpus",
        "cpus=-2           | cpus",
        "cpus=5000         | cpus",
        "memory=lots       | memory: not a size",
        "memory=-1g        | memory: a size cannot be negative",
        "cpus              | cpus",
    })
    void badKeysAndValuesGetAMessageNamingTheKey(String text, String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Requirements.parse(text));
        assertTrue(e.getMessage().contains(key), "\"" + e.getMessage() + "\" should name " + key);
    }

    @Test
    void anUnknownKeyListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Requirements.parse("gpus=1"));
        assertEquals("unknown requirement \"gpus\" (keys: cpus, memory, tags)", e.getMessage());
    }

    @Test
    void andTakesTheLargerCpusAndMemoryAndEveryTag() {
        Requirements a = Requirements.parse("cpus=2,memory=1g,tags=opencv");
        Requirements b = Requirements.parse("cpus=0.5,memory=2g,tags=gpu");
        Requirements both = a.and(b);
        assertEquals(2.0, both.cpus());
        assertEquals(2L << 30, both.memoryBytes());
        assertEquals(Set.of("opencv", "gpu"), both.tags());
        assertEquals(both, b.and(a));
        assertEquals(a, a.and(Requirements.NONE.and(new Requirements(0.1, 0, Set.of()))));
    }

    @Test
    void printsWhatParsesBack() {
        for (String text : new String[] {"cpus=1", "cpus=0.5,memory=512m", "cpus=2,memory=1g,tags=gpu+opencv"}) {
            Requirements r = Requirements.parse(text);
            assertEquals(text, r.toString());
            assertEquals(r, Requirements.parse(r.toString()));
        }
    }
}
