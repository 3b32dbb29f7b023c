package io.grpo.scenarios.hospital;

import java.util.List;

/**
 * One hospital's parameters, as loaded from a scenario file (see {@code ScenarioLoader}
 * for the file format and the validation of every key). Arrays indexed by severity have
 * {@link Severity#COUNT} entries (standard, urgent, critical); arrays indexed by group have
 * {@link PatientGroup#COUNT} entries (pediatric, adult, elderly).
 *
 * @param name                  scenario name
 * @param description           one line on what makes it different
 * @param minutesPerStep        simulated minutes per environment step (one admission decision)
 * @param episodeHours          simulated hours per episode
 * @param startHour             hour of day at which an episode starts
 * @param arrivalsPerHour       mean arrivals per hour at profile 1.0
 * @param hourlyProfile         24 multipliers of the arrival rate, normalised to mean 1
 * @param groupMix              probability of each group, normalised
 * @param severityMix           per group, probability of each severity, normalised
 * @param surgeEventsPerDay     mass-casualty events per simulated day (Poisson)
 * @param surgePatientsPerEvent mean patients per event (Poisson)
 * @param surgeEventMinutes     minutes over which an event's patients arrive
 * @param surgeSeverityMix      severity probabilities of surge patients
 * @param beds                  general beds
 * @param icuBeds               ICU beds / equipment slots
 * @param staff                 staff units
 * @param staffNeeded           staff units per patient by severity
 * @param needsIcu              by severity: needs an ICU bed instead of a general bed
 * @param treatmentMinutesMean  mean treatment time by severity (lognormal, sigma 0.5)
 * @param adversePerHour        base adverse-event hazard per hour of waiting, by severity
 * @param adverseGrowthMinutes  the hazard is multiplied by (1 + wait / growth), by severity
 * @param patienceMinutesMean   mean patience before leaving unseen by severity (exponential; 0 = never leaves)
 * @param rewardTreated         reward per admitted patient, by severity
 * @param rewardWaitPerHour     cost per waiting patient per hour, by severity
 * @param rewardAdverse         cost per adverse event, by severity of the patient
 * @param rewardLeftUnseen      cost per patient who leaves unseen
 */
public record HospitalScenario(
        String name,
        String description,
        double minutesPerStep,
        double episodeHours,
        int startHour,
        double arrivalsPerHour,
        List<Double> hourlyProfile,
        List<Double> groupMix,
        List<List<Double>> severityMix,
        double surgeEventsPerDay,
        double surgePatientsPerEvent,
        double surgeEventMinutes,
        List<Double> surgeSeverityMix,
        int beds,
        int icuBeds,
        int staff,
        List<Integer> staffNeeded,
        List<Boolean> needsIcu,
        List<Double> treatmentMinutesMean,
        List<Double> adversePerHour,
        List<Double> adverseGrowthMinutes,
        List<Double> patienceMinutesMean,
        List<Double> rewardTreated,
        List<Double> rewardWaitPerHour,
        List<Double> rewardAdverse,
        double rewardLeftUnseen) {

    public HospitalScenario {
        hourlyProfile = List.copyOf(hourlyProfile);
        groupMix = List.copyOf(groupMix);
        severityMix = severityMix.stream().map(List::copyOf).toList();
        surgeSeverityMix = List.copyOf(surgeSeverityMix);
        staffNeeded = List.copyOf(staffNeeded);
        needsIcu = List.copyOf(needsIcu);
        treatmentMinutesMean = List.copyOf(treatmentMinutesMean);
        adversePerHour = List.copyOf(adversePerHour);
        adverseGrowthMinutes = List.copyOf(adverseGrowthMinutes);
        patienceMinutesMean = List.copyOf(patienceMinutesMean);
        rewardTreated = List.copyOf(rewardTreated);
        rewardWaitPerHour = List.copyOf(rewardWaitPerHour);
        rewardAdverse = List.copyOf(rewardAdverse);
        requireSize("hourly_profile", hourlyProfile, 24);
        requireSize("group_mix", groupMix, PatientGroup.COUNT);
        requireSize("severity_mix", severityMix, PatientGroup.COUNT);
        for (List<Double> mix : severityMix) requireSize("severity_mix", mix, Severity.COUNT);
        for (var l : List.of(surgeSeverityMix, staffNeeded, needsIcu, treatmentMinutesMean, adversePerHour,
                adverseGrowthMinutes, patienceMinutesMean, rewardTreated, rewardWaitPerHour, rewardAdverse)) {
            requireSize("per-severity list", l, Severity.COUNT);
        }
    }

    /** Environment steps per episode. */
    public int stepsPerEpisode() {
        return (int) Math.round(episodeHours * 60.0 / minutesPerStep);
    }

    private static void requireSize(String what, List<?> list, int size) {
        if (list.size() != size) {
            throw new IllegalArgumentException(what + " must have " + size + " entries, got " + list.size());
        }
    }
}
