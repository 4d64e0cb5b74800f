package org.pekkogrid.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.serialization.Serialization;

/**
 * Checks, for the tests of a module whose actors keep messages to themselves, that each such
 * message (a {@link GridMessage} record nested in one of the actors) is {@link LocalOnly} and
 * bound to {@link LocalOnlySerializer}: otherwise a peer could forge it.
 */
public final class LocalOnlyCheck {

    private LocalOnlyCheck() {}

    /**
     * @param persisted the records the module persists: GridMessages that are deliberately not LocalOnly
     * @param atLeast   LocalOnly records the actors are known to have, so that an empty scan fails
     */
    public static void actorsKeepTheirMessages(Serialization serialization, List<Class<?>> actors,
                                               Set<Class<?>> persisted, int atLeast) throws java.io.NotSerializableException {
        List<String> onTheWire = new ArrayList<>();
        int local = 0;
        for (Class<?> actor : actors) {
            for (Class<?> c : actor.getDeclaredClasses()) {
                if (!c.isRecord() || !GridMessage.class.isAssignableFrom(c) || persisted.contains(c)) continue;
                if (LocalOnly.class.isAssignableFrom(c)) {
                    assertInstanceOf(LocalOnlySerializer.class, serialization.serializerFor(c), c.getName());
                    local++;
                } else {
                    onTheWire.add(c.getName());
                }
            }
        }
        assertEquals(List.of(), onTheWire, "an actor's own message is a GridMessage but not LocalOnly: a peer could "
            + "forge it. Mark it LocalOnly, or move it to the protocol (with a golden sample)");
        assertTrue(local >= atLeast, "found only " + local + " LocalOnly messages");
    }
}
