package io.grpo.core.rollout;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of the calling thread, for attributing work when more threads than cores compete
 * (wall time would count the waiting too). ND4J's native ops run on the calling thread with
 * one OpenMP thread, so they are included. Falls back to wall time where the JVM cannot tell.
 */
public final class CpuClock {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported();

    private CpuClock() {}

    public static long nanos() {
        return SUPPORTED ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }
}
