package org.pekkogrid.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

    @Test
    void readsSizesAsPeopleWriteThem() {
        assertEquals(1024, ByteSize.parse("1024"));
        assertEquals(4096, ByteSize.parse("4k"));
        assertEquals(512L << 20, ByteSize.parse("512m"));
        assertEquals(512L << 20, ByteSize.parse("512MB"));
        assertEquals(2L << 30, ByteSize.parse(" 2g "));
        assertEquals(3L << 40, ByteSize.parse("3T"));
        assertEquals(0, ByteSize.parse("0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m", "lots", "1.5g", "12q", "99999999999t"})
    void rejectsWhatIsNotASizeQuotingIt(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text));
        assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("k, m, g or t"), e.getMessage());
    }

    @Test
    void rejectsNegativeSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("-5m"));
        assertEquals("a size cannot be negative: \"-5m\"", e.getMessage());
    }

    @Test
    void printsTheLargestWholeUnit() {
        assertEquals("1g", ByteSize.format(1L << 30));
        assertEquals("1536m", ByteSize.format(1536L << 20));
        assertEquals("4k", ByteSize.format(4096));
        assertEquals("1500", ByteSize.format(1500));
        assertEquals("0", ByteSize.format(0));
    }

    @Test
    void whatIsPrintedParsesBackToTheSameSize() {
        long[] sizes = {0, 1, 1023, 1024, 1025, 3L << 20, (3L << 20) + 1, 7L << 30, 5L << 40, Long.MAX_VALUE / 2};
        for (long size : sizes) assertEquals(size, ByteSize.parse(ByteSize.format(size)), "size " + size);
    }
}
