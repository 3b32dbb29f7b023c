package io.grpo.node;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FailureDetectionTest {
    @Test
    void reachesTheAkkaSettingsOfTheNode() {
        FailureDetection fast = new FailureDetection(Duration.ofMillis(200), Duration.ofMillis(800), Duration.ofSeconds(1));
        Config c = new NodeConfig("127.0.0.1", 0, null, List.of(), List.of(NodeConfig.WORKER_ROLE),
                NodeConfig.DEFAULT_MAX_FRAME_BYTES).withFailureDetection(fast).akkaConfig();
        assertEquals(Duration.ofMillis(200), c.getDuration("akka.cluster.failure-detector.heartbeat-interval"));
        assertEquals(Duration.ofMillis(800), c.getDuration("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        assertEquals(Duration.ofSeconds(1), c.getDuration("akka.cluster.split-brain-resolver.stable-after"));
        assertEquals(Duration.ofMillis(2000), fast.detectionBound());
    }

    @Test
    void defaultsMatchTheDocumentedTenSeconds() {
        Config c = new NodeConfig("127.0.0.1", 0, null, List.of(), List.of(NodeConfig.WORKER_ROLE),
                NodeConfig.DEFAULT_MAX_FRAME_BYTES).akkaConfig();
        assertEquals(Duration.ofSeconds(7), c.getDuration("akka.cluster.split-brain-resolver.stable-after"));
        assertEquals(Duration.ofSeconds(11), FailureDetection.DEFAULT.detectionBound());
    }

    @Test
    void refusesSettingsThatWouldFlapOrNeverDown() {
        assertThrows(IllegalArgumentException.class,
                () -> new FailureDetection(Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new FailureDetection(Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new FailureDetection(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ZERO));
    }
}
