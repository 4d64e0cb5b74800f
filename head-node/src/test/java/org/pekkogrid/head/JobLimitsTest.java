package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobLimitsTest {

    @Test
    void jobsPastTheRunningLimitWaitAndPastTheQueuesLimitAreRefusedNamingIt() {
        JobLimits<String> limits = new JobLimits<>(2, 3, 0, 0);

        assertEquals(Optional.empty(), limits.refusal("alice", 2, 2), "two running, two waiting: a third may wait");
        String refused = limits.refusal("alice", 2, 3).orElseThrow();
        assertTrue(refused.contains("grid.head.max-queued-jobs = 3") && refused.contains("3 jobs wait"), refused);
        assertTrue(refused.contains("grid.head.max-jobs = 2"), refused);
    }

    @Test
    void withNoQueueTheRunningLimitIsAWall() {
        JobLimits<String> limits = new JobLimits<>(2, 0, 0, 0);

        String refused = limits.refusal("alice", 2, 0).orElseThrow();
        assertTrue(refused.contains("grid.head.max-jobs = 2") && refused.contains("grid.head.max-queued-jobs = 0"),
            refused);
    }

    @Test
    void aClientPastItsLimitIsRefusedWhileOthersAreNot() {
        JobLimits<String> limits = new JobLimits<>(2, 100, 3, 0);
        for (int i = 0; i < 3; i++) limits.accepted("alice");

        String refused = limits.refusal("alice", 2, 1).orElseThrow();
        assertTrue(refused.contains("this client has 3 jobs") && refused.contains("grid.head.max-jobs-per-client = 3"),
            refused);
        assertEquals(Optional.empty(), limits.refusal("bob", 2, 1));

        limits.started("alice");
        limits.ended("alice", true);
        assertEquals(Optional.empty(), limits.refusal("alice", 1, 1), "one ended: alice may submit one more");
        assertEquals(2, limits.openOf("alice"));
        assertEquals(0, limits.runningOf("alice"));
    }

    @Test
    void aClientRunningItsShareLetsOthersStartFirst() {
        JobLimits<String> limits = new JobLimits<>(4, 100, 0, 2);
        for (int i = 0; i < 3; i++) limits.accepted("alice");
        limits.accepted("bob");
        limits.started("alice");
        limits.started("alice");

        assertFalse(limits.mayStart("alice", 2), "alice runs 2, her limit");
        assertTrue(limits.mayStart("bob", 2));
        assertFalse(limits.mayStart("bob", 4), "nobody starts past max-jobs");
        limits.ended("alice", true);
        assertTrue(limits.mayStart("alice", 1));
    }

    @Test
    void aClientWithNoJobLeftIsForgotten() {
        JobLimits<String> limits = new JobLimits<>(2, 2, 0, 0);
        limits.accepted("alice");
        limits.ended("alice", false);
        assertEquals(0, limits.openOf("alice"));
        limits.ended("alice", false);
        assertEquals(0, limits.openOf("alice"), "an end told twice counts nothing");
    }

    @Test
    void limitsThatMakeNoSenseAreRefusedNamingTheSetting() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new JobLimits<String>(0, 1, 0, 0)).getMessage()
            .contains("grid.head.max-jobs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new JobLimits<String>(1, -1, 0, 0)).getMessage()
            .contains("grid.head.max-queued-jobs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new JobLimits<String>(1, 1, -1, 0)).getMessage()
            .contains("grid.head.max-jobs-per-client"));
    }
}
