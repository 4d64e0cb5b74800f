package org.pekkogrid.journal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A role's entities refuse a journal that only one machine reaches when nodes of that role run on other machines. */
class LocalJournalGuardTest {

    private static final JournalPlugins LOCAL =
        new JournalPlugins("j", "s", Optional.empty(), Optional.empty(), "the local journal /data/counters.mv.db", true);
    private static final JournalPlugins SHARED =
        new JournalPlugins("j", "s", Optional.empty(), Optional.empty(), "the journal at jdbc:postgresql://db/grid", false);

    @Test
    void nodesOnThisMachineShareTheLocalJournal() throws Exception {
        String own = InetAddress.getLocalHost().getHostAddress();
        assertNull(LocalJournalGuard.refusal("127.0.0.1", "worker", List.of("127.0.0.1", "127.0.0.2"), LOCAL));
        assertNull(LocalJournalGuard.refusal("127.0.0.1", "worker", List.of("127.0.0.1", own), LOCAL), own + " is this machine");
    }

    @Test
    void aNodeOfTheRoleOnAnotherMachineMakesTheLocalJournalWrong() {
        String refusal = LocalJournalGuard.refusal("127.0.0.1", "head", List.of("127.0.0.1", "203.0.113.7"), LOCAL);
        assertTrue(refusal != null && refusal.contains("203.0.113.7") && refusal.contains("head nodes")
            && refusal.contains("grid.journal.url") && refusal.contains("/data/counters.mv.db"), String.valueOf(refusal));
    }

    @Test
    void aSharedJournalServesNodesAnywhere() {
        assertNull(LocalJournalGuard.refusal("10.0.0.1", "worker", List.of("10.0.0.1", "203.0.113.7"), SHARED));
    }
}
