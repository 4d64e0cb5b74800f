package org.pekkogrid.framingpatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.Version;
import org.junit.jupiter.api.Test;

class FramingPatchCheckTest {

    @Test
    void theBoundedFramingIsTheOneLoaded() {
        assertTrue(FramingPatchCheck.isPatchedFramingLoaded());
        assertEquals(Optional.empty(), FramingPatchCheck.problem());
    }

    @Test
    void pekkoRemoteAheadOnTheClasspathIsReported() throws Exception {
        List<URL> remoteFirst = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            remoteFirst.add(new File(entry).toURI().toURL());
        }
        remoteFirst.sort(Comparator.comparing(url -> !url.getPath().contains("pekko-remote_")));
        try (URLClassLoader loader = new URLClassLoader(remoteFirst.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Object problem = loader.loadClass(FramingPatchCheck.class.getName()).getMethod("problem").invoke(null);

            String message = ((Optional<?>) problem).map(String::valueOf).orElse("none");
            assertTrue(message.contains("unbounded TcpFraming") && message.contains("pekko-remote_"), message);
        }
    }

    @Test
    void everyActorSystemRunsTheCheck() {
        assertTrue(ConfigFactory.load().getStringList("pekko.library-extensions")
            .contains(FramingPatchCheck.class.getName()));
    }

    @Test
    void thePatchIsForThisPekko() {
        assertEquals(FramingPatchCheck.PATCHED_PEKKO_VERSION, Version.current(),
            "Pekko was upgraded: if pekko-remote " + Version.current() + " includes apache/pekko#3525 (bounded "
                + "TcpFraming frame lengths), delete the artery-framing-patch module; otherwise port the patch");
    }
}
