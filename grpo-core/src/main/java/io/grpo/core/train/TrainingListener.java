package io.grpo.core.train;

/** Observes training progress (console display, metrics files). */
public interface TrainingListener {
    default void onUpdate(UpdateReport report) {}

    default void onEvaluation(EvaluationReport report) {}

    TrainingListener NONE = new TrainingListener() {};
}
