package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WarningBudgetTest {

    private static final String DECODER = "org.apache.pekko.remote.artery.Decoder";
    private static final String DROPPING = "Dropping message due to: java.lang.IndexOutOfBoundsException";

    private final WarningBudget budget = new WarningBudget(5, 50);

    @Test
    void aMessageRepeatedInALoopIsAdmittedFiveTimesAWindowAndTheRestCounted() {
        assertEquals(5, admitted(DECODER, DROPPING, 1000));

        assertEquals(List.of(new WarningBudget.Suppressed(DECODER, DROPPING, 995, false)), budget.endWindow());
        assertEquals(5, admitted(DECODER, DROPPING, 10), "a new window, a new budget");
        assertEquals(List.of(new WarningBudget.Suppressed(DECODER, DROPPING, 5, false)), budget.endWindow());
        assertEquals(List.of(), budget.endWindow());
    }

    @Test
    void distinctMessagesOfOneLoggerAreCappedTogether() {
        long admitted = IntStream.range(0, 500)
            .filter(i -> budget.admit(DECODER, "Failed to deserialize message with manifest [m" + i + "]", false))
            .count();

        assertEquals(50, admitted);
        assertEquals(List.of(new WarningBudget.Suppressed(DECODER, null, 450, false)), budget.endWindow());
    }

    @Test
    void oneLoggersFloodLeavesOthersTheirBudget() {
        admitted(DECODER, DROPPING, 1000);

        assertTrue(budget.admit("org.apache.pekko.cluster.Cluster", "Marking node as UNREACHABLE", false));
        assertTrue(budget.admitsAny("org.apache.pekko.cluster.Cluster", false));
    }

    @Test
    void aLoggerThatDroppedAWarningAdmitsNoneBeforeTheyAreFormattedUntilTheWindowEnds() {
        assertTrue(budget.admitsAny(DECODER, false));
        admitted(DECODER, DROPPING, 6);

        assertFalse(budget.admitsAny(DECODER, true));
        assertFalse(budget.admitsAny(DECODER, false));
        assertEquals(List.of(
                new WarningBudget.Suppressed(DECODER, DROPPING, 1, false),
                new WarningBudget.Suppressed(DECODER, null, 2, true)),
            budget.endWindow());
        assertTrue(budget.admitsAny(DECODER, false));
    }

    @Test
    void budgetsMustAdmitSomething() {
        assertThrows(IllegalArgumentException.class, () -> new WarningBudget(0, 50));
        assertThrows(IllegalArgumentException.class, () -> new WarningBudget(5, 4));
    }

    private int admitted(String logger, String message, int times) {
        int admitted = 0;
        for (int i = 0; i < times; i++) if (budget.admit(logger, message, false)) admitted++;
        return admitted;
    }
}
