package io.grpo.experiment;

import org.apache.commons.statistics.inference.DataDispersion;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.TTest;

/**
 * One outcome compared between a treatment (lambda > 0) and its control (lambda = 0) over seeds:
 * both samples summarised, the difference of means, Welch's t-test and the Mann-Whitney U test
 * (two-sided; exact for small samples without ties), Cohen's d (pooled SD) and Cliff's delta.
 * The Holm-adjusted p-value is filled in once the whole family is known.
 *
 * @param difference     treatment mean minus control mean
 * @param cliffsDelta    P(treatment > control) - P(treatment < control) over all pairs
 */
public record Comparison(String scenario, String robustMode, double lambda, String metric, SampleSummary treatment,
                         SampleSummary control, double difference, double welchT, double welchDf, double welchP,
                         double mannWhitneyU, double mannWhitneyP, double cohensD, double cliffsDelta, double holmP) {

    public static Comparison of(String scenario, String robustMode, double lambda, String metric, double[] treatment,
                                double[] control) {
        SampleSummary t = SampleSummary.of(treatment);
        SampleSummary c = SampleSummary.of(control);
        double welchT = Double.NaN, welchDf = Double.NaN, welchP = Double.NaN;
        if (treatment.length >= 2 && control.length >= 2 && (t.sd() > 0 || c.sd() > 0)) {
            TTest.Result r = TTest.withDefaults().with(DataDispersion.HETEROSCEDASTIC).test(treatment, control);
            welchT = r.getStatistic();
            welchDf = r.getDegreesOfFreedom();
            welchP = r.getPValue();
        }
        double u = Double.NaN, uP = Double.NaN;
        if (treatment.length >= 1 && control.length >= 1) {
            MannWhitneyUTest.Result r = MannWhitneyUTest.withDefaults().test(treatment, control);
            u = r.getStatistic();
            uP = r.getPValue();
        }
        return new Comparison(scenario, robustMode, lambda, metric, t, c, t.mean() - c.mean(), welchT, welchDf, welchP,
                u, uP, cohensD(t, c), cliffsDelta(treatment, control), Double.NaN);
    }

    public Comparison withHolmP(double p) {
        return new Comparison(scenario, robustMode, lambda, metric, treatment, control, difference, welchT, welchDf,
                welchP, mannWhitneyU, mannWhitneyP, cohensD, cliffsDelta, p);
    }

    /** Difference of means over the pooled standard deviation; NaN when both samples are constant. */
    static double cohensD(SampleSummary t, SampleSummary c) {
        if (t.n() < 2 || c.n() < 2) return Double.NaN;
        double pooled = Math.sqrt(((t.n() - 1) * t.sd() * t.sd() + (c.n() - 1) * c.sd() * c.sd()) / (t.n() + c.n() - 2));
        return pooled > 0 ? (t.mean() - c.mean()) / pooled : Double.NaN;
    }

    static double cliffsDelta(double[] x, double[] y) {
        if (x.length == 0 || y.length == 0) return Double.NaN;
        long more = 0, less = 0;
        for (double a : x) {
            for (double b : y) {
                if (a > b) more++;
                else if (a < b) less++;
            }
        }
        return (double) (more - less) / ((long) x.length * y.length);
    }
}
