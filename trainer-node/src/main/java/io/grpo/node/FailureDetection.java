package io.grpo.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;

import java.time.Duration;

/**
 * How fast the cluster notices a dead node and removes it: the failure detector's heartbeat
 * interval and acceptable pause (a node is unreachable after about {@code interval + pause} of
 * silence), then the Split Brain Resolver's {@code stable-after} before it is downed. A killed
 * worker's in-flight batches are lost within that window; a dead learner host is replaced after it.
 *
 * @param heartbeatInterval     how often nodes heartbeat each other
 * @param acceptableHeartbeatPause silence tolerated before a node is marked unreachable (GC pauses, long updates)
 * @param stableAfter           how long membership must be stable before unreachable nodes are downed
 */
public record FailureDetection(Duration heartbeatInterval, Duration acceptableHeartbeatPause, Duration stableAfter) {
    /** Akka's heartbeat defaults with this project's 7 s {@code stable-after}: a dead node is gone after about 10 s. */
    public static final FailureDetection DEFAULT = new FailureDetection(Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofSeconds(7));

    public FailureDetection {
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero() || heartbeatInterval.toMillis() < 50) {
            throw new IllegalArgumentException("heartbeat interval must be at least 50 ms, got " + heartbeatInterval.toMillis() + " ms");
        }
        if (acceptableHeartbeatPause.compareTo(heartbeatInterval) < 0) {
            throw new IllegalArgumentException("heartbeat pause (" + acceptableHeartbeatPause.toMillis()
                    + " ms) must be at least the heartbeat interval (" + heartbeatInterval.toMillis() + " ms)");
        }
        if (stableAfter.toMillis() < 100) {
            throw new IllegalArgumentException("stable-after must be at least 100 ms, got " + stableAfter.toMillis() + " ms");
        }
    }

    /** Worst-case time from a node's death to its removal (unreachable, then downed). */
    public Duration detectionBound() {
        return heartbeatInterval.plus(acceptableHeartbeatPause).plus(stableAfter);
    }

    /** These settings over {@code config}. */
    public Config applyTo(Config config) {
        return config
                .withValue("akka.cluster.failure-detector.heartbeat-interval", millis(heartbeatInterval))
                .withValue("akka.cluster.failure-detector.acceptable-heartbeat-pause", millis(acceptableHeartbeatPause))
                .withValue("akka.cluster.split-brain-resolver.stable-after", millis(stableAfter));
    }

    private static com.typesafe.config.ConfigValue millis(Duration d) {
        return ConfigValueFactory.fromAnyRef(d.toMillis() + "ms");
    }
}
