package org.pekkogrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A counter's remembered request ids: a window of the newest, and an add never changes the set it was made from. */
class RecentRequestIdsTest {

    @Test
    void anAddLeavesTheOriginalAsItWas() {
        RecentRequestIds ab = RecentRequestIds.empty().add("a", 10).add("b", 10);
        RecentRequestIds abc = ab.add("c", 10);
        assertEquals(List.of("a", "b"), ab.oldestFirst());
        assertFalse(ab.contains("c"), "an unconfirmed increment's id stays out of the state it was applied to");
        assertEquals(List.of("a", "b", "c"), abc.oldestFirst());
        assertEquals(0, RecentRequestIds.empty().size());
    }

    @Test
    void theOldestIdsLeaveTheWindow() {
        RecentRequestIds recent = RecentRequestIds.empty();
        for (String id : List.of("a", "b", "c", "d")) recent = recent.add(id, 3);
        assertEquals(List.of("b", "c", "d"), recent.oldestFirst());
        assertFalse(recent.contains("a"));
        assertTrue(recent.contains("d"));
        assertSame(recent, recent.add("c", 3), "a remembered id keeps its place");
        assertEquals(List.of("c", "d"), RecentRequestIds.of(List.of("a", "b", "c", "d"), 2).oldestFirst());
    }
}
