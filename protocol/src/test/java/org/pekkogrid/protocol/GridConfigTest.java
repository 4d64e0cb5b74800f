package org.pekkogrid.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GridConfigTest {

    @Test
    void aSeedIsHostColonPort() {
        assertEquals("pekko://grid@127.0.0.1:2551", GridConfig.seedAddress("grid", "127.0.0.1:2551"));
        assertEquals("pekko://lab@head.example:25520", GridConfig.seedAddress("lab", " head.example:25520 "));
        assertEquals("pekko://grid@::1:2551", GridConfig.seedAddress("grid", "::1:2551"));
        assertEquals("pekko://other@h:1", GridConfig.seedAddress("grid", "pekko://other@h:1"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1        | is not host:port (such as 127.0.0.1:2551)",
        ":2551            | is not host:port (such as 127.0.0.1:2551)",
        "127.0.0.1:       | is not host:port (such as 127.0.0.1:2551)",
        "127.0.0.1:port   | has no port number after the colon",
        "127.0.0.1:0      | port must be within 1..65535",
        "127.0.0.1:65536  | port must be within 1..65535",
    })
    void aBadSeedIsRefusedQuotingIt(String seed, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> GridConfig.seedAddress("grid", seed));
        assertTrue(e.getMessage().startsWith("seed \"" + seed + "\""), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void forNodeTurnsGridSettingsIntoPekkoSettings() {
        Config given = ConfigFactory.parseString("""
            grid { host = "10.1.2.3", port = 2551, seeds = ["10.1.2.4:2552", "10.1.2.5:2553"], join-timeout = 15s }
            """).withFallback(GridConfig.defaults());
        Config node = GridConfig.forNode(given, List.of("worker", "grid-cores-2"));
        assertEquals("cluster", node.getString("pekko.actor.provider"));
        assertEquals(List.of("worker", "grid-cores-2"), node.getStringList("pekko.cluster.roles"));
        assertEquals("10.1.2.3", node.getString("pekko.remote.artery.canonical.hostname"));
        assertEquals(2551, node.getInt("pekko.remote.artery.canonical.port"));
        assertEquals(List.of("pekko://grid@10.1.2.4:2552", "pekko://grid@10.1.2.5:2553"),
            node.getStringList("pekko.cluster.seed-nodes"));
        assertEquals("15s", node.getString("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes"));
        // What pekko-grid.conf sets stays: only GridMessage is bound to CBOR.
        assertEquals("jackson-cbor",
            node.getString("pekko.actor.serialization-bindings.\"org.pekkogrid.protocol.GridMessage\""));
    }

    @Test
    void theFirstHeadHasNoSeedsAndBindsLoopbackByDefault() {
        Config node = GridConfig.forNode(GridConfig.defaults(), List.of("head"));
        assertEquals(List.of(), node.getStringList("pekko.cluster.seed-nodes"));
        assertEquals("127.0.0.1", node.getString("pekko.remote.artery.canonical.hostname"));
        assertEquals(0, node.getInt("pekko.remote.artery.canonical.port"));
        assertEquals("off", node.getString("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes"));
        assertEquals("", node.getString("pekko.remote.artery.bind.hostname"));
    }

    @Test
    void aBindHostIsUsedWhenGiven() {
        Config given = ConfigFactory.parseString("grid { host = \"head-0.grid\", bind-host = \"0.0.0.0\" }")
            .withFallback(GridConfig.defaults());
        Config node = GridConfig.forNode(given, List.of("head"));
        assertEquals("0.0.0.0", node.getString("pekko.remote.artery.bind.hostname"));
        assertEquals("head-0.grid", node.getString("pekko.remote.artery.canonical.hostname"));
    }

    @Test
    void aBadSeedInTheConfigIsRefusedBeforeAnythingStarts() {
        Config given = ConfigFactory.parseString("grid.seeds = [\"head-without-port\"]")
            .withFallback(GridConfig.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> GridConfig.forNode(given, List.of("worker")));
        assertTrue(e.getMessage().contains("head-without-port"), e.getMessage());
    }
}
