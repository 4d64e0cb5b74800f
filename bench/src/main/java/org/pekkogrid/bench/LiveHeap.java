package org.pekkogrid.bench;

import com.sun.tools.attach.VirtualMachine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Another JVM's live heap: the bytes still in use right after full collections, which it is
 * asked to run. Heap "in use" at a random moment (what a node's samples and /metrics show) is
 * mostly garbage not yet collected and swings by the young generation's size; after a full
 * collection only what the JVM holds on to is left, so two readings compare honestly.
 *
 * <p>Reads through the JDK's attach API (module jdk.attach) and the target's local JMX agent, which
 * the first reading starts; the target must run on this machine as the same user.
 */
final class LiveHeap {

    /** Collections per reading: the least of them, so an allocation between two does not count. */
    static final int COLLECTIONS = 3;

    /** A reading, or why there is none. */
    record Reading(long bytes, String unavailable) {
        static Reading of(long bytes) {
            return new Reading(bytes, null);
        }

        static Reading none(String why) {
            return new Reading(-1, why);
        }

        boolean known() {
            return unavailable == null;
        }
    }

    private LiveHeap() {}

    /** The live heap of the JVM with this process id; never throws. */
    static Reading of(long pid) {
        try {
            return Reading.of(read(pid));
        } catch (LinkageError e) {
            return Reading.none("this JVM has no attach API (module jdk.attach): run the bench on a JDK, not a JRE");
        } catch (Exception e) {
            return Reading.none("could not read the heap of process " + pid + ": " + e);
        }
    }

    private static long read(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(connector.getMBeanServerConnection(),
                    ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
                long least = Long.MAX_VALUE;
                for (int i = 0; i < COLLECTIONS; i++) {
                    memory.gc();
                    least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
                }
                return least;
            }
        } finally {
            vm.detach();
        }
    }
}
