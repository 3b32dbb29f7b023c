package io.grpo.scenarios.hospital;

import io.grpo.core.env.Environment;
import io.grpo.core.env.StepResult;
import io.grpo.scenarios.hospital.fairness.GroupOutcome;
import io.grpo.scenarios.hospital.fairness.GroupTally;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, deterministic, discrete-time emergency department.
 *
 * <p>Each step is one admission decision followed by {@code minutesPerStep} of simulated
 * time. The action picks a queue (group x severity) to admit its longest-waiting patient
 * from, or holds; choosing an empty queue or one whose patient cannot get the resources
 * now is legal and does nothing. Then resources whose treatment ended are released,
 * patients arrive (Poisson with an hour-of-day profile, plus mass-casualty surges), and
 * every waiting patient either leaves unseen (patience ran out), suffers an adverse event
 * (hazard growing with the wait, fastest for critical patients) or keeps waiting.
 *
 * <p>Every random draw happens when patients arrive: their number, group, severity,
 * patience, treatment time and an Exp(1) hazard budget (the adverse event comes when the
 * hazard accumulated while waiting exceeds it, which has the same distribution as a fresh
 * draw each step). So a seed fixes the whole stream of patients whatever the policy does,
 * and two policies evaluated on the same seeds face the same patients (common random
 * numbers): their paired difference is far less noisy than two independent runs.
 *
 * <p>Reward per step: {@code treated[s]} for an admitted patient, minus
 * {@code wait_per_hour[s] * hours} for every patient still waiting, minus {@code adverse[s]}
 * per adverse event and {@code left_unseen} per patient lost. An episode is cut by its time
 * limit (truncated, never terminated).
 *
 * <p>Observation ({@link #OBSERVATION_SIZE} features): free beds, ICU beds and staff as
 * fractions of capacity (3); for each queue in group-major order (pediatric standard,
 * urgent, critical, adult ..., elderly ...): length / 10, oldest wait / 4 h, mean wait /
 * 4 h (27); for each queue, whether its longest-waiting patient can be admitted now (1/0),
 * if so how much less that patient has waited than the longest-waiting admissible patient
 * of any queue / 4 h, whether it is that patient (the first-come-first-served choice, 1/0)
 * and whether it is the longest-waiting admissible patient of its severity (1/0) (36); sin
 * and cos of the hour of day (2); surge active (1).
 *
 * <p>Each step's group label is the group of the patient the action concerned: the queue's
 * group for an admission choice (valid or not), the longest-waiting patient's group for a
 * hold, and {@code adult} for a hold with nobody waiting.
 */
public final class HospitalSimulator implements Environment {
    public static final int QUEUES = PatientGroup.COUNT * Severity.COUNT;
    public static final int HOLD = QUEUES;
    public static final int ACTIONS = QUEUES + 1;
    public static final int OBSERVATION_SIZE = 3 + 3 * QUEUES + 4 * QUEUES + 3;
    public static final List<String> GROUP_NAMES =
            Arrays.stream(PatientGroup.values()).map(PatientGroup::label).toList();
    private static final double WAIT_SCALE_MINUTES = 240;
    private static final double QUEUE_SCALE = 10;
    private static final double LOGNORMAL_SIGMA = 0.5;
    private static final int MAX_TREATMENT_FACTOR = 8;

    private final HospitalScenario s;
    private final int steps;
    private final double dt;
    private final double[] hourRate;          // expected regular arrivals per step, by hour of day
    private final double[] groupCdf;
    private final double[][] severityCdf;
    private final double[] surgeSeverityCdf;
    private final double[] treatmentMu;
    private final int maxTreatmentSteps;

    private SplittableRandom rng = new SplittableRandom(0);
    private int t;
    private int freeBeds, freeIcu, freeStaff;
    private int[] releaseBeds, releaseIcu, releaseStaff;
    private int[] surgeArrivals;
    private int surgeActiveUntil;
    private final PatientQueue[] queues = new PatientQueue[QUEUES];
    private final GroupTally[] tallies = new GroupTally[PatientGroup.COUNT];
    private boolean needsReset = true;

    public HospitalSimulator(HospitalScenario scenario) {
        this.s = scenario;
        this.steps = scenario.stepsPerEpisode();
        this.dt = scenario.minutesPerStep();
        this.hourRate = new double[24];
        double profileMean = scenario.hourlyProfile().stream().mapToDouble(Double::doubleValue).average().orElse(1);
        for (int h = 0; h < 24; h++) {
            hourRate[h] = scenario.arrivalsPerHour() * scenario.hourlyProfile().get(h) / profileMean * dt / 60.0;
        }
        this.groupCdf = cdf(scenario.groupMix());
        this.severityCdf = new double[PatientGroup.COUNT][];
        for (int g = 0; g < PatientGroup.COUNT; g++) severityCdf[g] = cdf(scenario.severityMix().get(g));
        this.surgeSeverityCdf = cdf(scenario.surgeSeverityMix());
        this.treatmentMu = new double[Severity.COUNT];
        double maxMean = 0;
        for (int sev = 0; sev < Severity.COUNT; sev++) {
            double mean = scenario.treatmentMinutesMean().get(sev);
            treatmentMu[sev] = Math.log(mean) - LOGNORMAL_SIGMA * LOGNORMAL_SIGMA / 2;
            maxMean = Math.max(maxMean, mean);
        }
        this.maxTreatmentSteps = (int) Math.ceil(MAX_TREATMENT_FACTOR * maxMean / dt);
        for (int q = 0; q < QUEUES; q++) queues[q] = new PatientQueue();
        for (PatientGroup g : PatientGroup.values()) tallies[g.ordinal()] = new GroupTally(g.label());
    }

    public HospitalScenario scenario() {
        return s;
    }

    @Override
    public int observationSize() {
        return OBSERVATION_SIZE;
    }

    @Override
    public int actionCount() {
        return ACTIONS;
    }

    @Override
    public List<String> groupNames() {
        return GROUP_NAMES;
    }

    /** Index of the queue for a group and severity (also the action that admits from it). */
    public static int queueIndex(int group, int severity) {
        return group * Severity.COUNT + severity;
    }

    @Override
    public double[] reset(long seed) {
        rng = new SplittableRandom(seed);
        return reset();
    }

    @Override
    public double[] reset() {
        t = 0;
        freeBeds = s.beds();
        freeIcu = s.icuBeds();
        freeStaff = s.staff();
        releaseBeds = new int[steps + maxTreatmentSteps + 2];
        releaseIcu = new int[releaseBeds.length];
        releaseStaff = new int[releaseBeds.length];
        int surgeWindow = (int) Math.ceil(s.surgeEventMinutes() / dt);
        surgeArrivals = new int[steps + surgeWindow + 2];
        surgeActiveUntil = -1;
        for (PatientQueue q : queues) q.clear();
        for (PatientGroup g : PatientGroup.values()) tallies[g.ordinal()] = new GroupTally(g.label());
        needsReset = false;
        return observation();
    }

    @Override
    public StepResult step(int action) {
        if (action < 0 || action >= ACTIONS) {
            throw new IllegalArgumentException("hospital action must be in [0, " + ACTIONS + "), got " + action);
        }
        if (needsReset) throw new IllegalStateException("episode is over: call reset() first");
        double now = t * dt;
        double reward = 0;
        int group;
        if (action == HOLD) {
            int q = longestWaitingQueue(now);
            group = q < 0 ? PatientGroup.ADULT.ordinal() : q / Severity.COUNT;
        } else {
            group = action / Severity.COUNT;
            reward += admit(action, now);
        }

        t++;
        now = t * dt;
        freeBeds += releaseBeds[t];
        freeIcu += releaseIcu[t];
        freeStaff += releaseStaff[t];
        arrive(now);
        reward += waitingOutcomes(now);

        boolean truncated = t >= steps;
        needsReset = truncated;
        return new StepResult(observation(), reward, false, truncated, group);
    }

    /** Admits the longest-waiting patient of queue q if resources allow; returns the reward. */
    private double admit(int q, double now) {
        PatientQueue queue = queues[q];
        int sev = q % Severity.COUNT;
        if (queue.size() == 0 || !canAdmit(sev)) return 0;
        double wait = now - queue.arrival(0);
        double minutes = queue.treatmentMinutes(0);
        queue.removeFirst();
        tallies[q / Severity.COUNT].treated(wait);
        int staff = s.staffNeeded().get(sev);
        boolean icu = s.needsIcu().get(sev);
        freeStaff -= staff;
        if (icu) freeIcu--; else freeBeds--;
        int duration = Math.max(1, Math.min(maxTreatmentSteps, (int) Math.ceil(minutes / dt)));
        int release = t + duration;
        releaseStaff[release] += staff;
        if (icu) releaseIcu[release]++; else releaseBeds[release]++;
        return s.rewardTreated().get(sev);
    }

    /**
     * Every queue whose longest-waiting patient can be admitted now, or hold when there is
     * none: the choices that admit someone (the other queues are legal no-ops). Hold is left
     * out while someone can be admitted (a work-conserving department does not keep a bed
     * and its staff idle while an admissible patient waits): a learned policy that held
     * there was harmless when sampled but, played greedily, held the same patients step
     * after step until they left. No admission rule we tried gained anything by keeping
     * beds or staff in reserve. Hold stays a legal action.
     */
    @Override
    public long validActions() {
        long mask = 0;
        for (int q = 0; q < QUEUES; q++) {
            if (queues[q].size() > 0 && canAdmit(q % Severity.COUNT)) mask |= 1L << q;
        }
        return mask == 0 ? 1L << HOLD : mask;
    }

    /** Whether a patient of this severity can get a bed (or ICU bed) and staff right now. */
    public boolean canAdmit(int severity) {
        boolean bed = s.needsIcu().get(severity) ? freeIcu > 0 : freeBeds > 0;
        return bed && freeStaff >= s.staffNeeded().get(severity);
    }

    private void arrive(double now) {
        int hour = (int) ((s.startHour() + now / 60.0) % 24);
        int regular = poisson(hourRate[hour]);
        for (int i = 0; i < regular; i++) {
            int g = draw(groupCdf);
            admitToQueue(g, draw(severityCdf[g]), now);
        }
        if (s.surgeEventsPerDay() > 0 && rng.nextDouble() < s.surgeEventsPerDay() * dt / 1440.0) {
            int window = Math.max(1, (int) Math.ceil(s.surgeEventMinutes() / dt));
            int patients = poisson(s.surgePatientsPerEvent());
            for (int i = 0; i < patients; i++) surgeArrivals[t + rng.nextInt(window)]++;
            surgeActiveUntil = Math.max(surgeActiveUntil, t + window);
        }
        for (int i = 0; i < surgeArrivals[t]; i++) admitToQueue(draw(groupCdf), draw(surgeSeverityCdf), now);
    }

    private void admitToQueue(int group, int sev, double now) {
        double patienceMean = s.patienceMinutesMean().get(sev);
        double deadline = patienceMean > 0 ? now - patienceMean * Math.log(1 - rng.nextDouble()) : Double.POSITIVE_INFINITY;
        double treatment = Math.exp(treatmentMu[sev] + LOGNORMAL_SIGMA * rng.nextGaussian());
        double hazardBudget = -Math.log(1 - rng.nextDouble());
        queues[queueIndex(group, sev)].add(now, deadline, treatment, hazardBudget);
        tallies[group].arrived();
    }

    /** Patients who leave or deteriorate, and the cost of everyone still waiting. */
    private double waitingOutcomes(double now) {
        double reward = 0;
        double hours = dt / 60.0;
        for (int q = 0; q < QUEUES; q++) {
            PatientQueue queue = queues[q];
            if (queue.size() == 0) continue;
            int sev = q % Severity.COUNT;
            int g = q / Severity.COUNT;
            double base = s.adversePerHour().get(sev) * hours;
            double growth = s.adverseGrowthMinutes().get(sev);
            double waitCost = s.rewardWaitPerHour().get(sev) * hours;
            int kept = 0;
            for (int i = 0; i < queue.size(); i++) {
                double arrival = queue.arrival(i);
                double wait = now - arrival;
                double hazardLeft = queue.hazardLeft(i) - base * (1 + wait / growth);
                if (now >= queue.deadline(i)) {
                    tallies[g].leftUnseen(wait);
                    reward -= s.rewardLeftUnseen();
                } else if (hazardLeft <= 0) {
                    tallies[g].adverse(wait);
                    reward -= s.rewardAdverse().get(sev);
                } else {
                    reward -= waitCost;
                    queue.keep(i, kept++, hazardLeft);
                }
            }
            queue.truncate(kept);
        }
        return reward;
    }

    private int longestWaitingQueue(double now) {
        int best = -1;
        double oldest = Double.POSITIVE_INFINITY;
        for (int q = 0; q < QUEUES; q++) {
            if (queues[q].size() > 0 && queues[q].arrival(0) < oldest) {
                oldest = queues[q].arrival(0);
                best = q;
            }
        }
        return best;
    }

    private double[] observation() {
        double[] o = new double[OBSERVATION_SIZE];
        double now = t * dt;
        o[0] = (double) freeBeds / s.beds();
        o[1] = (double) freeIcu / s.icuBeds();
        o[2] = (double) freeStaff / s.staff();
        int k = 3;
        for (int q = 0; q < QUEUES; q++) {
            PatientQueue queue = queues[q];
            int n = queue.size();
            o[k++] = n / QUEUE_SCALE;
            o[k++] = n == 0 ? 0 : (now - queue.arrival(0)) / WAIT_SCALE_MINUTES;
            double sum = 0;
            for (int i = 0; i < n; i++) sum += now - queue.arrival(i);
            o[k++] = n == 0 ? 0 : sum / n / WAIT_SCALE_MINUTES;
        }
        // Per queue: can its longest-waiting patient be admitted now; how much less that patient
        // has waited than the longest-waiting admissible patient of any queue (0 for the
        // first-come-first-served choice); whether it is that choice; and whether it is the
        // longest-waiting admissible patient of its severity. Wait-ordered rules (FIFO, FIFO
        // within a severity, head starts by severity) are then linear in the input.
        int leader = -1;
        int[] severityLeader = {-1, -1, -1};
        for (int q = 0; q < QUEUES; q++) {
            int sev = q % Severity.COUNT;
            if (queues[q].size() == 0 || !canAdmit(sev)) continue;
            double arrival = queues[q].arrival(0);
            if (leader < 0 || arrival < queues[leader].arrival(0)) leader = q;
            if (severityLeader[sev] < 0 || arrival < queues[severityLeader[sev]].arrival(0)) severityLeader[sev] = q;
        }
        for (int q = 0; q < QUEUES; q++) {
            boolean admissible = queues[q].size() > 0 && canAdmit(q % Severity.COUNT);
            o[k++] = admissible ? 1 : 0;
            o[k++] = admissible ? (queues[q].arrival(0) - queues[leader].arrival(0)) / WAIT_SCALE_MINUTES : 0;
            o[k++] = q == leader ? 1 : 0;
            o[k++] = q == severityLeader[q % Severity.COUNT] ? 1 : 0;
        }
        double hour = (s.startHour() + now / 60.0) % 24;
        o[k++] = Math.sin(2 * Math.PI * hour / 24);
        o[k++] = Math.cos(2 * Math.PI * hour / 24);
        o[k] = t < surgeActiveUntil ? 1 : 0;
        return o;
    }

    // ---- queries for baseline policies, metrics and tests ----

    public int queueLength(int q) {
        return queues[q].size();
    }

    /** Minutes the longest-waiting patient of queue q has waited (0 when empty). */
    public double oldestWaitMinutes(int q) {
        return queues[q].size() == 0 ? 0 : t * dt - queues[q].arrival(0);
    }

    public int freeBeds() {
        return freeBeds;
    }

    public int freeIcuBeds() {
        return freeIcu;
    }

    public int freeStaff() {
        return freeStaff;
    }

    public int step() {
        return t;
    }

    public boolean surgeActive() {
        return t < surgeActiveUntil;
    }

    /** Patients currently in treatment, counted by the beds they hold. */
    public int inTreatment() {
        return (s.beds() - freeBeds) + (s.icuBeds() - freeIcu);
    }

    /** Patients waiting in all queues. */
    public int waiting() {
        int n = 0;
        for (PatientQueue q : queues) n += q.size();
        return n;
    }

    /** This episode's outcomes per group so far (group order of {@link PatientGroup}). */
    public List<GroupOutcome> outcomes() {
        List<GroupOutcome> out = new ArrayList<>(PatientGroup.COUNT);
        for (GroupTally g : tallies) out.add(g.outcome());
        return out;
    }

    // ---- random draws ----

    private int poisson(double lambda) {
        if (lambda <= 0) return 0;
        double limit = Math.exp(-lambda), p = 1;
        int k = 0;
        do {
            k++;
            p *= rng.nextDouble();
        } while (p > limit);
        return k - 1;
    }

    private int draw(double[] cdf) {
        double u = rng.nextDouble();
        for (int i = 0; i < cdf.length - 1; i++) if (u < cdf[i]) return i;
        return cdf.length - 1;
    }

    private static double[] cdf(List<Double> weights) {
        double total = weights.stream().mapToDouble(Double::doubleValue).sum();
        double[] c = new double[weights.size()];
        double acc = 0;
        for (int i = 0; i < c.length; i++) {
            acc += weights.get(i) / total;
            c[i] = acc;
        }
        return c;
    }

    /**
     * Waiting patients of one queue in arrival order, as primitive arrays: arrival time,
     * time they leave unseen, treatment minutes, and the hazard still to accumulate before
     * an adverse event.
     */
    private static final class PatientQueue {
        private double[] arrivals = new double[16];
        private double[] deadlines = new double[16];
        private double[] treatments = new double[16];
        private double[] hazards = new double[16];
        private int head, size;

        int size() {
            return size;
        }

        double arrival(int i) {
            return arrivals[head + i];
        }

        double deadline(int i) {
            return deadlines[head + i];
        }

        double treatmentMinutes(int i) {
            return treatments[head + i];
        }

        double hazardLeft(int i) {
            return hazards[head + i];
        }

        void add(double arrival, double deadline, double treatment, double hazard) {
            if (head + size == arrivals.length) {
                if (head > 0) {
                    System.arraycopy(arrivals, head, arrivals, 0, size);
                    System.arraycopy(deadlines, head, deadlines, 0, size);
                    System.arraycopy(treatments, head, treatments, 0, size);
                    System.arraycopy(hazards, head, hazards, 0, size);
                    head = 0;
                }
                if (size == arrivals.length) {
                    arrivals = Arrays.copyOf(arrivals, size * 2);
                    deadlines = Arrays.copyOf(deadlines, size * 2);
                    treatments = Arrays.copyOf(treatments, size * 2);
                    hazards = Arrays.copyOf(hazards, size * 2);
                }
            }
            int at = head + size;
            arrivals[at] = arrival;
            deadlines[at] = deadline;
            treatments[at] = treatment;
            hazards[at] = hazard;
            size++;
        }

        void removeFirst() {
            head++;
            size--;
            if (size == 0) head = 0;
        }

        /** Moves patient i to position k (k <= i) with an updated hazard budget. */
        void keep(int i, int k, double hazard) {
            arrivals[head + k] = arrivals[head + i];
            deadlines[head + k] = deadlines[head + i];
            treatments[head + k] = treatments[head + i];
            hazards[head + k] = hazard;
        }

        void truncate(int newSize) {
            size = newSize;
            if (size == 0) head = 0;
        }

        void clear() {
            head = 0;
            size = 0;
        }
    }
}
