package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pekkogrid.framingpatch.FramingPatchCheck;

/** The nodes these tests start, in this JVM and in child JVMs, frame Artery connections with the bounded TcpFraming. */
class FramingPatchLoadedTest {

    @Test
    void theBoundedTcpFramingIsWhatLoadsOnTheNodesClasspath() {
        assertEquals(Optional.empty(), FramingPatchCheck.problem());
    }
}
