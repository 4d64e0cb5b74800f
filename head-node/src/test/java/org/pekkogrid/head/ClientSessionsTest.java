package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientSessionsTest {

    private static final long SECOND = 1_000_000_000L;

    private final ClientSessions<String> sessions = new ClientSessions<>(15 * SECOND);

    @Test
    void aSessionSilentPastTheTimeoutIsGoneWithItsRunningJobs() {
        sessions.jobStarted("alice", "job-1", 0);
        sessions.jobStarted("alice", "job-2", SECOND);
        sessions.jobStarted("bob", "job-3", SECOND);
        sessions.alive("bob", 10 * SECOND);

        assertEquals(Map.of(), sessions.expired(15 * SECOND), "alice last spoke at 1 s: not yet silent for 15 s");
        assertEquals(Map.of("alice", Set.of("job-1", "job-2")), sessions.expired(16 * SECOND + 1));
        assertEquals(Map.of("bob", Set.of("job-3")), sessions.expired(25 * SECOND + 1));
        assertEquals(0, sessions.size());
    }

    @Test
    void keepAlivesKeepASessionWhateverItsAge() {
        sessions.jobStarted("alice", "job-1", 0);
        for (long t = 2; t <= 120; t += 2) {
            sessions.alive("alice", t * SECOND);
            assertEquals(Map.of(), sessions.expired(t * SECOND + SECOND));
        }
    }

    @Test
    void endedJobsLeaveTheSessionAndAnEmptySessionIsForgotten() {
        sessions.jobStarted("alice", "job-1", 0);
        sessions.jobStarted("alice", "job-2", 0);
        sessions.jobEnded("alice", "job-1");
        assertEquals(Set.of("job-2"), sessions.closed("alice"));

        sessions.jobStarted("bob", "job-3", 0);
        sessions.jobEnded("bob", "job-3");
        assertEquals(0, sessions.size(), "a session with no running job costs nothing");
        assertEquals(Map.of(), sessions.expired(60 * SECOND), "and is never cancelled");
        sessions.alive("bob", 61 * SECOND);
        assertEquals(0, sessions.size(), "a keep-alive does not bring it back");
    }

    @Test
    void closingAnUnknownSessionCancelsNothing() {
        assertEquals(Set.of(), sessions.closed("nobody"));
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ClientSessions<String>(0));
    }
}
