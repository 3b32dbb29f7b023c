package io.grpo.scenarios.hospital;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioLoaderTest {
    private static final double EPS = 1e-9;

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ presets

    static List<String> presets() {
        return ScenarioLoader.presetNames();
    }

    @Test
    void presetNamesAreTheFourShippedScenarios() {
        assertEquals(List.of("urban", "rural", "pediatric", "surge"), ScenarioLoader.presetNames());
    }

    @ParameterizedTest
    @MethodSource("presets")
    void everyPresetLoadsAndIsNormalised(String name) {
        HospitalScenario s = ScenarioLoader.preset(name);
        assertEquals(name, s.name());
        assertFalse(s.description().isBlank());
        assertEquals(720, s.stepsPerEpisode(), "2-minute steps over 24 h");
        assertEquals(24, s.hourlyProfile().size());
        assertEquals(1.0, mean(s.hourlyProfile()), EPS, "profile has mean 1");
        assertEquals(1.0, sum(s.groupMix()), EPS);
        for (List<Double> mix : s.severityMix()) assertEquals(1.0, sum(mix), EPS);
        assertEquals(1.0, sum(s.surgeSeverityMix()), EPS);
        assertEquals(List.of(1, 1, 2), s.staffNeeded());
        assertEquals(List.of(false, false, true), s.needsIcu());
        assertEquals(0.0, s.patienceMinutesMean().get(Severity.CRITICAL.ordinal()), "critical patients never leave");
        // Quiet small hours, evening peak.
        assertTrue(s.hourlyProfile().get(4) <= 0.6, "4 am is quiet");
        assertTrue(s.hourlyProfile().get(19) >= 1.3, "evening peak");
    }

    @ParameterizedTest
    @MethodSource("presets")
    void presetFromFileEqualsPresetFromClasspath(String name) throws IOException {
        Path file = write(name + ".conf", resourceText(name));
        assertEquals(ScenarioLoader.preset(name), ScenarioLoader.load(file));
        assertEquals(ScenarioLoader.preset(name), ScenarioLoader.loadResource(name));
    }

    @Test
    void presetNamesAreCaseInsensitive() {
        assertEquals(ScenarioLoader.preset("urban"), ScenarioLoader.preset("Urban"));
    }

    @Test
    void urbanIsBusyAndAdultHeavy() {
        HospitalScenario urban = ScenarioLoader.preset("urban");
        assertEquals(12.0, urban.arrivalsPerHour());
        assertEquals(List.of(0.2, 0.5, 0.3), rounded(urban.groupMix()));
        assertEquals(17, urban.beds());
        assertEquals(List.of(60.0, 120.0, 240.0), urban.treatmentMinutesMean());
    }

    @Test
    void ruralHasFewerArrivalsScarcerResourcesAndAnOlderSickerPopulation() {
        HospitalScenario urban = ScenarioLoader.preset("urban");
        HospitalScenario rural = ScenarioLoader.preset("rural");
        assertTrue(rural.arrivalsPerHour() < urban.arrivalsPerHour());
        assertTrue(rural.icuBeds() < urban.icuBeds());
        assertTrue(rural.staff() < urban.staff());
        assertTrue(rural.beds() < urban.beds());
        int elderly = PatientGroup.ELDERLY.ordinal();
        assertTrue(rural.groupMix().get(elderly) > urban.groupMix().get(elderly), "older population");
        assertTrue(rural.groupMix().get(elderly) >= 0.5 - EPS);
        int critical = Severity.CRITICAL.ordinal();
        assertTrue(severityShares(rural)[critical] > severityShares(urban)[critical], "sicker case mix");
        assertTrue(rural.adversePerHour().get(critical) > urban.adversePerHour().get(critical),
                "waiting is more dangerous for critical patients far from a tertiary centre");
    }

    @Test
    void pediatricIsMostlyChildrenWithMilderShorterCases() {
        HospitalScenario urban = ScenarioLoader.preset("urban");
        HospitalScenario pediatric = ScenarioLoader.preset("pediatric");
        assertTrue(pediatric.groupMix().get(PatientGroup.PEDIATRIC.ordinal()) >= 0.75);
        for (PatientGroup g : PatientGroup.values()) {
            if (g != PatientGroup.PEDIATRIC) {
                assertTrue(pediatric.groupMix().get(g.ordinal()) < pediatric.groupMix().get(PatientGroup.PEDIATRIC.ordinal()));
            }
        }
        int critical = Severity.CRITICAL.ordinal();
        assertTrue(severityShares(pediatric)[critical] < severityShares(urban)[critical], "milder case mix");
        for (Severity s : Severity.values()) {
            assertTrue(pediatric.treatmentMinutesMean().get(s.ordinal()) < urban.treatmentMinutesMean().get(s.ordinal()));
        }
    }

    @Test
    void onlySurgeHasCriticalHeavyMassCasualtyEvents() {
        for (String name : ScenarioLoader.presetNames()) {
            HospitalScenario s = ScenarioLoader.preset(name);
            if (name.equals("surge")) {
                assertTrue(s.surgeEventsPerDay() >= 2 && s.surgeEventsPerDay() <= 3);
                assertTrue(s.surgePatientsPerEvent() >= 15 && s.surgePatientsPerEvent() <= 20);
                assertEquals(60.0, s.surgeEventMinutes());
                int critical = Severity.CRITICAL.ordinal();
                assertTrue(s.surgeSeverityMix().get(critical) > 2 * severityShares(s)[critical], "critical-heavy");
            } else {
                assertEquals(0.0, s.surgeEventsPerDay(), name);
            }
        }
        HospitalScenario urban = ScenarioLoader.preset("urban");
        HospitalScenario surge = ScenarioLoader.preset("surge");
        assertEquals(urban.beds(), surge.beds());
        assertEquals(urban.icuBeds(), surge.icuBeds());
        assertEquals(urban.staff(), surge.staff());
    }

    /**
     * A good policy can keep up over a day (average demand below 90% of every resource at
     * profile 1.0) while some resource is scarce enough (at least 80% busy on average) that
     * whom to admit first matters.
     */
    @ParameterizedTest
    @ValueSource(strings = {"urban", "rural", "pediatric"})
    void capacityCheckHoldsForTheNonSurgePresets(String name) {
        HospitalScenario s = ScenarioLoader.preset(name);
        double[] load = everydayLoad(s);
        double[] share = {load[0] / s.beds(), load[1] / s.icuBeds(), load[2] / s.staff()};
        for (double x : share) assertTrue(x < 0.9, name + " keeps up: " + java.util.Arrays.toString(share));
        assertTrue(java.util.Arrays.stream(share).max().orElse(0) >= 0.8, name + " is scarce: " + java.util.Arrays.toString(share));
    }

    @Test
    void surgeEventsOverloadTheIcu() {
        HospitalScenario s = ScenarioLoader.preset("surge");
        double[] everyday = everydayLoad(s);
        double criticalCasualties = s.surgePatientsPerEvent() * s.surgeSeverityMix().get(Severity.CRITICAL.ordinal());
        assertTrue(everyday[1] < 0.75 * s.icuBeds(), "between events it can keep up");
        assertTrue(everyday[1] + criticalCasualties > s.icuBeds(), "an event brings more critical patients than free ICU beds");
    }

    /** The numbers written in the presets' header comments. */
    @Test
    void headerCommentNumbersMatchTheFiles() {
        assertLoad("urban", 14.1, 5.76, 25.62);
        assertLoad("rural", 4.67, 1.71, 8.09);
        assertLoad("pediatric", 7.76, 1.32, 10.41);
        assertLoad("surge", 9.4, 3.84, 17.08);
    }

    private static void assertLoad(String name, double beds, double icu, double staff) {
        double[] load = everydayLoad(ScenarioLoader.preset(name));
        assertEquals(beds, load[0], 0.01, name + " beds");
        assertEquals(icu, load[1], 0.01, name + " icu");
        assertEquals(staff, load[2], 0.01, name + " staff");
    }

    // ------------------------------------------------------------------ normalisation, base

    @Test
    void mixesAndProfileAreNormalised() throws IOException {
        Path file = write("norm.conf", urbanText() + """
                arrivals.hourly_profile = [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]
                arrivals.group_mix { pediatric = 2, adult = 5, elderly = 3 }
                arrivals.severity_mix.adult = [3, 1, 0]
                surge.severity_mix = [1, 1, 2]
                """);
        HospitalScenario s = ScenarioLoader.load(file);
        assertEquals(2.0 / 3.0, s.hourlyProfile().get(0), EPS);
        assertEquals(4.0 / 3.0, s.hourlyProfile().get(23), EPS);
        assertEquals(1.0, mean(s.hourlyProfile()), EPS);
        assertEquals(List.of(0.2, 0.5, 0.3), rounded(s.groupMix()));
        assertEquals(List.of(0.75, 0.25, 0.0), s.severityMix().get(PatientGroup.ADULT.ordinal()));
        assertEquals(List.of(0.25, 0.25, 0.5), s.surgeSeverityMix());
    }

    @Test
    void baseStartsFromAPresetAndOverridesASubset() throws IOException {
        Path file = write("busy.conf", """
                base = urban
                name = "busy-urban"
                arrivals.per_hour = 15
                capacity { beds = 40 }
                reward.left_unseen = ${capacity.icu_beds}   # substitution into the preset's values
                """);
        HospitalScenario s = ScenarioLoader.load(file);
        HospitalScenario urban = ScenarioLoader.preset("urban");
        assertEquals("busy-urban", s.name());
        assertEquals(15.0, s.arrivalsPerHour());
        assertEquals(40, s.beds());
        assertEquals(urban.icuBeds(), s.icuBeds(), "rest of capacity kept");
        assertEquals(urban.staff(), s.staff());
        assertEquals(urban.icuBeds(), s.rewardLeftUnseen(), "substituted from the preset");
        assertEquals(urban.hourlyProfile(), s.hourlyProfile());
        assertEquals(urban.severityMix(), s.severityMix());
        assertEquals(urban.description(), s.description());
    }

    @Test
    void baseAloneIsThePreset() throws IOException {
        assertEquals(ScenarioLoader.preset("rural"), ScenarioLoader.load(write("r.conf", "base = rural\n")));
    }

    @Test
    void baseOverridesAreValidatedToo() throws IOException {
        Path file = write("b.conf", "base = urban\ncapacity.bedz = 3\ncapacity.staff = 0\n");
        ScenarioFileException e = assertThrows(ScenarioFileException.class, () -> ScenarioLoader.load(file));
        assertMessage(e, file, "unknown key 'capacity.bedz' (allowed in capacity: beds, icu_beds, staff)");
        assertMessage(e, file, "capacity.staff must be an integer >= 1, got 0");
    }

    @Test
    void unknownBaseIsAnError() throws IOException {
        Path file = write("b.conf", "base = downtown\n");
        ScenarioFileException e = assertThrows(ScenarioFileException.class, () -> ScenarioLoader.load(file));
        assertMessage(e, file, "base must be the name of a preset (urban, rural, pediatric, surge), got \"downtown\"");
    }

    // ------------------------------------------------------------------ failures

    @Test
    void unknownTopLevelKey() throws IOException {
        Path file = write("my.conf", urbanText() + "capcity { beds = 3 }\n");
        ScenarioFileException e = fails(file);
        assertMessage(e, file, "unknown key 'capcity' (allowed at top level: base, name, description, time,");
        assertEquals(1, e.problems().size(), e.getMessage());
    }

    @Test
    void unknownNestedKey() throws IOException {
        Path file = write("my.conf", urbanText() + "capacity.bedz = 3\narrivals.group_mix.children = 1\n");
        ScenarioFileException e = fails(file);
        assertEquals(file.toString() + ": unknown key 'capacity.bedz' (allowed in capacity: beds, icu_beds, staff)",
                e.getMessage().lines().filter(l -> l.contains("bedz")).findFirst().orElseThrow());
        assertMessage(e, file, "unknown key 'arrivals.group_mix.children' (allowed in arrivals.group_mix: pediatric, adult, elderly)");
        assertEquals(2, e.problems().size(), e.getMessage());
    }

    @Test
    void missingKey() throws IOException {
        Path file = write("my.conf", urbanText().replace("per_hour = 12\n", ""));
        ScenarioFileException e = fails(file);
        assertMessage(e, file, "missing key 'arrivals.per_hour'");
        assertEquals(1, e.problems().size(), e.getMessage());
    }

    @Test
    void missingSectionIsOneProblem() throws IOException {
        String text = urbanText();
        int start = text.indexOf("capacity {");
        text = text.substring(0, start) + text.substring(text.indexOf('}', start) + 1);
        Path file = write("my.conf", text);
        ScenarioFileException e = fails(file);
        assertMessage(e, file, "missing key 'capacity'");
        assertEquals(1, e.problems().size(), e.getMessage());
    }

    @Test
    void outOfRangeValues() throws IOException {
        Path file = write("urban.conf", urbanText() + "capacity.beds = 0\n");
        ScenarioFileException e = fails(file);
        assertEquals(file + ": capacity.beds must be an integer >= 1, got 0", e.getMessage());
        assertEquals(file.toString(), e.source());

        assertProblem(urbanText() + "time.minutes_per_step = 61\n", "time.minutes_per_step must be a number > 0 and <= 60, got 61");
        assertProblem(urbanText() + "time.episode_hours = 200\n", "time.episode_hours must be a number > 0 and <= 168, got 200");
        assertProblem(urbanText() + "time.start_hour = 24\n", "time.start_hour must be an integer from 0 to 23, got 24");
        assertProblem(urbanText() + "time.start_hour = 1.5\n", "time.start_hour must be an integer from 0 to 23, got 1.5");
        assertProblem(urbanText() + "arrivals.per_hour = 0\n", "arrivals.per_hour must be a number > 0, got 0");
        assertProblem(urbanText() + "arrivals.group_mix.adult = -0.5\n", "arrivals.group_mix.adult must be a number >= 0, got -0.5");
        assertProblem(urbanText() + "surge.event_minutes = 0\n", "surge.event_minutes must be a number > 0, got 0");
        assertProblem(urbanText() + "surge.events_per_day = -1\n", "surge.events_per_day must be a number >= 0, got -1");
        assertProblem(urbanText() + "treatment_minutes.mean = [60, 0, 240]\n", "treatment_minutes.mean[1] must be a number > 0, got 0");
        assertProblem(urbanText() + "waiting.adverse_growth_minutes = [120, 60, 0]\n",
                "waiting.adverse_growth_minutes[2] must be a number > 0, got 0");
        assertProblem(urbanText() + "waiting.patience_minutes = [240, -1, 0]\n", "waiting.patience_minutes[1] must be a number >= 0, got -1");
        assertProblem(urbanText() + "reward.adverse = [5, -10, 30]\n", "reward.adverse[1] must be a number >= 0, got -10");
        assertProblem(urbanText() + "needs.staff = [1, 0, 2]\n", "needs.staff[1] must be an integer >= 1, got 0");
        assertProblem(urbanText() + "name = \"  \"\n", "name must be a non-empty string, got \"  \" (a string)");
        assertProblem(urbanText() + "arrivals.severity_mix.elderly = [0, 0, 0]\n",
                "arrivals.severity_mix.elderly must have a positive sum (the weights are normalised), got all zero");
        assertProblem(urbanText() + "arrivals.hourly_profile = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n",
                "arrivals.hourly_profile must have a positive sum");
        assertProblem(urbanText() + "time { minutes_per_step = 60, episode_hours = 0.1, start_hour = 0 }\n",
                "time.episode_hours = 0.1 is shorter than one step (time.minutes_per_step = 60)");
    }

    @Test
    void wrongTypes() throws IOException {
        assertProblem(urbanText() + "arrivals.per_hour = twelve\n", "arrivals.per_hour must be a number > 0, got \"twelve\" (a string)");
        assertProblem(urbanText() + "arrivals.per_hour = \"12\"\n", "arrivals.per_hour must be a number > 0, got \"12\" (a string)");
        assertProblem(urbanText() + "capacity.beds = [30]\n", "capacity.beds must be an integer >= 1, got a list of 1");
        assertProblem(urbanText() + "capacity = 30\n", "capacity must be an object with keys beds, icu_beds, staff, got 30");
        assertProblem(urbanText() + "needs.icu = [false, no, true]\n", "needs.icu[1] must be true or false, got \"no\" (a string)");
        assertProblem(urbanText() + "reward.treated = 1\n",
                "reward.treated must be a list of 3 numbers >= 0 (standard, urgent, critical), got 1");
        assertProblem(urbanText() + "description = null\n", "description must be a string, got null");
    }

    @Test
    void wrongListLengths() throws IOException {
        String profile23 = "arrivals.hourly_profile = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
        assertProblem(urbanText() + profile23, "arrivals.hourly_profile must be a list of 24 numbers >= 0, got a list of 23");
        assertProblem(urbanText() + "needs.staff = [1, 2]\n",
                "needs.staff must be a list of 3 integers >= 1 (standard, urgent, critical), got a list of 2");
        assertProblem(urbanText() + "arrivals.severity_mix.adult = [0.6, 0.3, 0.1, 0]\n",
                "arrivals.severity_mix.adult must be a list of 3 numbers >= 0 (standard, urgent, critical), got a list of 4");
        assertProblem(urbanText() + "needs.icu = [false, true]\n",
                "needs.icu must be a list of 3 booleans (standard, urgent, critical), got a list of 2");
    }

    @Test
    void staffNeedAboveStaffCapacity() throws IOException {
        Path file = write("my.conf", urbanText() + "capacity.staff = 3\nneeds.staff = [1, 1, 4]\n");
        ScenarioFileException e = fails(file);
        assertMessage(e, file, "needs.staff[2] = 4 exceeds capacity.staff = 3: critical patients could never be admitted");
        assertEquals(1, e.problems().size(), e.getMessage());
    }

    @Test
    void allProblemsAreReportedTogether() throws IOException {
        Path file = write("my.conf", urbanText() + "capacity.beds = 0\narrivals.per_hour = -1\nfoo = 1\n");
        ScenarioFileException e = fails(file);
        assertEquals(3, e.problems().size(), e.getMessage());
        assertEquals(3, e.getMessage().lines().filter(l -> l.startsWith(file + ": ")).count(), e.getMessage());
    }

    @Test
    void syntacticallyBrokenFile() throws IOException {
        Path file = write("broken.conf", "name = \"x\"\ncapacity {\n  beds = 30\n");
        ScenarioFileException e = fails(file);
        assertTrue(e.getMessage().startsWith(file + ": cannot parse scenario file: line "), e.getMessage());
        assertNotNull(e.getCause(), "the parser's exception is kept");
    }

    @Test
    void unresolvableSubstitution() throws IOException {
        Path file = write("subst.conf", urbanText() + "capacity.beds = ${capacity.seats}\n");
        ScenarioFileException e = fails(file);
        assertTrue(e.getMessage().startsWith(file + ": cannot resolve substitution: "), e.getMessage());
        assertTrue(e.getMessage().contains("capacity.seats"), e.getMessage());
    }

    @Test
    void nonexistentFile() {
        Path file = dir.resolve("nope.conf");
        ScenarioFileException e = fails(file);
        assertEquals(file + ": cannot read scenario file: no such file", e.getMessage());
    }

    @Test
    void directoryInsteadOfFile() {
        ScenarioFileException e = fails(dir);
        assertEquals(dir + ": cannot read scenario file: it is a directory", e.getMessage());
    }

    @Test
    void unknownPresetName() {
        ScenarioFileException e = assertThrows(ScenarioFileException.class, () -> ScenarioLoader.preset("downtown"));
        assertTrue(e.getMessage().contains("classpath:scenarios/downtown.conf"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown scenario preset 'downtown' (available presets: urban, rural, pediatric, surge)"),
                e.getMessage());
    }

    @Test
    void missingResource() {
        ScenarioFileException e = assertThrows(ScenarioFileException.class, () -> ScenarioLoader.loadResource("downtown"));
        assertTrue(e.getMessage().startsWith("classpath:scenarios/downtown.conf: cannot read scenario file: no such resource"),
                e.getMessage());
    }

    // ------------------------------------------------------------------ helpers

    private ScenarioFileException fails(Path file) {
        return assertThrows(ScenarioFileException.class, () -> ScenarioLoader.load(file));
    }

    private void assertProblem(String content, String expected) throws IOException {
        Path file = write("my.conf", content);
        ScenarioFileException e = fails(file);
        assertMessage(e, file, expected);
    }

    private static void assertMessage(ScenarioFileException e, Path file, String expected) {
        assertTrue(e.getMessage().contains(file + ": " + expected),
                "expected '" + file + ": " + expected + "' in:\n" + e.getMessage());
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private static String urbanText() throws IOException {
        return resourceText("urban") + "\n";
    }

    private static String resourceText(String name) throws IOException {
        try (InputStream in = ScenarioLoaderTest.class.getClassLoader().getResourceAsStream("scenarios/" + name + ".conf")) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Overall severity shares: sum over groups of group share x that group's severity mix. */
    private static double[] severityShares(HospitalScenario s) {
        double[] p = new double[Severity.COUNT];
        for (PatientGroup g : PatientGroup.values()) {
            for (Severity v : Severity.values()) {
                p[v.ordinal()] += s.groupMix().get(g.ordinal()) * s.severityMix().get(g.ordinal()).get(v.ordinal());
            }
        }
        return p;
    }

    /**
     * Average units busy from everyday arrivals at profile 1.0 (Little's law): general beds, ICU beds,
     * staff; arrivals/h x severity share x mean treatment hours (x staff units).
     */
    private static double[] everydayLoad(HospitalScenario s) {
        double[] p = severityShares(s);
        double beds = 0, icu = 0, staff = 0;
        for (Severity v : Severity.values()) {
            int k = v.ordinal();
            double busy = s.arrivalsPerHour() * p[k] * s.treatmentMinutesMean().get(k) / 60.0;
            if (s.needsIcu().get(k)) icu += busy;
            else beds += busy;
            staff += busy * s.staffNeeded().get(k);
        }
        return new double[] {beds, icu, staff};
    }

    private static double sum(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).sum();
    }

    private static double mean(List<Double> xs) {
        return sum(xs) / xs.size();
    }

    private static List<Double> rounded(List<Double> xs) {
        return xs.stream().map(x -> Math.round(x * 1e9) / 1e9).toList();
    }
}
