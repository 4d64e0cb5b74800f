package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobQueueTest {

    /** A waiting job as the test knows it: its id and its client. */
    private record Job(String id, String client) {}

    private final JobQueue<Job> queue = new JobQueue<>();

    private void add(String id, String client) {
        queue.add(id, new Job(id, client));
    }

    private static List<String> ids(List<JobQueue.Place<Job>> moved) {
        return moved.stream().map(m -> m.jobId() + "@" + m.position()).toList();
    }

    @Test
    void jobsStartFirstInFirstOut() {
        add("a", "alice");
        add("b", "bob");
        add("c", "alice");

        assertEquals(List.of(1, 2, 3), List.of(queue.position("a"), queue.position("b"), queue.position("c")));
        assertEquals("a", queue.next(j -> true).id());
        assertEquals("b", queue.next(j -> true).id());
        assertEquals("c", queue.next(j -> true).id());
        assertNull(queue.next(j -> true), "an empty queue starts nothing");
        assertEquals(0, queue.position("a"), "a job that left has no position");
    }

    @Test
    void aJobThatMayNotStartKeepsItsPlaceWhileTheNextStarts() {
        add("a1", "alice");
        add("b1", "bob");
        add("a2", "alice");

        assertEquals("b1", queue.next(j -> !j.client().equals("alice")).id());
        assertEquals(List.of(1, 2), List.of(queue.position("a1"), queue.position("a2")));
        assertNull(queue.next(j -> false));
        assertEquals(2, queue.size());
    }

    @Test
    void onlyJobsThatMovedAreToldTheirPositionAndEachOnce() {
        for (String id : List.of("a", "b", "c", "d")) add(id, "alice");
        assertEquals(List.of(), ids(queue.moved()), "positions at add count as told");

        queue.remove("b");
        assertEquals(List.of("c@2", "d@3"), ids(queue.moved()), "those behind the cancelled job moved up; a did not");
        assertEquals(List.of(), ids(queue.moved()), "told once");

        queue.next(j -> true);
        add("e", "alice");
        assertEquals(List.of("c@1", "d@2"), ids(queue.moved()), "e was told its place when it joined");
    }

    @Test
    void removingAClientsJobsKeepsTheOthersInOrder() {
        add("a1", "alice");
        add("b1", "bob");
        add("a2", "alice");
        add("b2", "bob");

        assertEquals(List.of("a1", "a2"), queue.removeIf(j -> j.client().equals("alice")).stream().map(Job::id).toList());
        assertEquals(List.of("b1@1", "b2@2"), ids(queue.first(10)));
        assertEquals(List.of("b1@1"), ids(queue.first(1)), "status lists the first few");
        assertNull(queue.remove("a1"), "a job removed once is not there to remove again");
        assertFalse(queue.contains("a2"));
    }

    @Test
    void aJobIsQueuedOnce() {
        add("a", "alice");
        assertThrows(IllegalArgumentException.class, () -> add("a", "alice"));
    }
}
