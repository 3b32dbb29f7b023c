/**
 * Fairness of the hospital simulator's outcomes across patient groups: per-group tallies kept during an
 * episode ({@link io.grpo.scenarios.hospital.fairness.GroupTally}), immutable per-group snapshots
 * ({@link io.grpo.scenarios.hospital.fairness.GroupOutcome}) and their comparison
 * ({@link io.grpo.scenarios.hospital.fairness.FairnessMetrics}), whose single score grows as groups are treated
 * more alike.
 */
package io.grpo.scenarios.hospital.fairness;
