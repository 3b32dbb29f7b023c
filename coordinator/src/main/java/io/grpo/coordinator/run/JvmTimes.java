package io.grpo.coordinator.run;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** This JVM's CPU and garbage-collection time so far, for a run's time breakdown. */
final class JvmTimes {
    private JvmTimes() {}

    static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    static double gcSeconds() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms / 1e3;
    }
}
