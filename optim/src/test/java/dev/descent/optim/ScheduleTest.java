package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.optim.schedule.LrSchedule;
import dev.descent.optim.schedule.Scheduler;
import dev.descent.optim.schedule.Schedules;
import dev.descent.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Learning-rate schedules: torch.optim.lr_scheduler sequences (fixtures from PyTorch 1.13, written by
 * {@code fixtures/schedule/generate.py}), the Hugging Face, fairseq, Transformer and Ma &amp; Yarats schedules
 * against closed forms written out here, and exact save and restore.
 */
class ScheduleTest {
    private static final double[] BASE = {0.1, 0.05};

    /** The schedules the fixture's case names stand for, built as generate.py builds torch's. */
    private static final Map<String, LrSchedule> TORCH_CASES = Map.ofEntries(
            Map.entry("constant_lr", Schedules.constant(1.0 / 3, 5)),
            Map.entry("constant_lr_half_7", Schedules.constant(0.5, 7)),
            Map.entry("step_lr", Schedules.step(7, 0.5)),
            Map.entry("multi_step_lr", Schedules.multiStep(new long[] {3, 10, 25}, 0.3)),
            Map.entry("exponential_lr", Schedules.exponential(0.9)),
            Map.entry("cosine_annealing", Schedules.cosine(15, 0.0)),
            Map.entry("cosine_annealing_eta_min", Schedules.cosine(12, 0.01)),
            Map.entry("warm_restarts", Schedules.warmRestarts(7, 1, 0.0)),
            Map.entry("warm_restarts_mult", Schedules.warmRestarts(3, 2, 0.001)),
            Map.entry("linear_lr", Schedules.linear(1.0 / 3, 1.0, 5)),
            Map.entry("linear_lr_custom", Schedules.linear(0.1, 0.6, 9)),
            Map.entry("polynomial_lr", Schedules.polynomial(20, 2.0)),
            Map.entry("polynomial_lr_linear", Schedules.polynomial(8, 1.0)),
            Map.entry("sequential_warmup_cosine", Schedules.sequential(
                    List.of(Schedules.linear(0.2, 1.0, 5), Schedules.cosine(20, 0.002)), 5)),
            Map.entry("sequential_three", Schedules.sequential(List.of(Schedules.constant(0.5, 10),
                    Schedules.exponential(0.8), Schedules.step(4, 0.5)), 6, 18)),
            Map.entry("chained_warmup_exponential", Schedules.chained(Schedules.linear(0.25, 1.0, 6),
                    Schedules.exponential(0.95))),
            Map.entry("chained_constant_step", Schedules.chained(Schedules.constant(0.1, 4), Schedules.step(5, 0.7),
                    Schedules.multiStep(new long[] {12, 30}, 0.5))));

    static Stream<Arguments> torchFixtures() throws IOException {
        Map<String, double[][]> byCase = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                ScheduleTest.class.getResourceAsStream("/fixtures/schedule/schedules.txt"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.trim().split("\\s+");
                double[] lrs = new double[f.length - 2];
                for (int i = 0; i < lrs.length; i++) {
                    lrs[i] = Double.parseDouble(f[i + 2]);
                }
                byCase.computeIfAbsent(f[0], k -> new double[BASE.length][])[Integer.parseInt(f[1])] = lrs;
            }
        }
        assertEquals(TORCH_CASES.keySet(), byCase.keySet(), "fixture cases");
        return byCase.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("torchFixtures")
    void matchesTorch(String name, double[][] expected) {
        List<List<Double>> actual = run(TORCH_CASES.get(name), expected[0].length);
        for (int g = 0; g < BASE.length; g++) {
            for (int t = 0; t < expected[g].length; t++) {
                // torch steps with recursive forms, these are closed forms: equal up to rounding.
                assertEquals(expected[g][t], actual.get(t).get(g), 1e-12 * BASE[g], name + " group " + g + " step " + t);
            }
        }
    }

    @Test
    void firstLearningRateIsAppliedOnConstruction() {
        SGD sgd = sgd();
        Scheduler s = new Scheduler(sgd, Schedules.linear(0.5, 1.0, 4));
        assertEquals(0, s.stepCount());
        assertEquals(List.of(0.05, 0.025), s.lastLr());
        assertEquals(0.1, s.baseLr(0));
        s.step();
        assertEquals(1, s.stepCount());
        assertEquals(0.1 * 0.625, sgd.paramGroups().get(0).get("lr"), 1e-17);
    }

    @Test
    void constantAndMultiplier() {
        expect(Schedules.constant(), 6, t -> 1.0);
        expect(Schedules.multiplier(t -> 1.0 / (t + 2)), 6, t -> 1.0 / (t + 2));
    }

    @Test
    void hfLinearWithWarmup() {
        // W = 4, total = 10: 0, 1/4, 2/4, 3/4, then (10 - t)/6 down to 0, and 0 after.
        double[] m = {0, 0.25, 0.5, 0.75, 1, 5.0 / 6, 4.0 / 6, 3.0 / 6, 2.0 / 6, 1.0 / 6, 0, 0, 0};
        expect(Schedules.hfLinearWithWarmup(4, 10), m.length, t -> m[(int) t]);
        // No warmup: starts at the full rate.
        expect(Schedules.hfLinearWithWarmup(0, 5), 7, t -> t >= 5 ? 0 : (5 - t) / 5.0);
    }

    @Test
    void hfCosineWithWarmup() {
        // W = 2, total = 10, half a cycle: (1 + cos(π p))/2 with p = (t - 2)/8, clamped at 0.
        expect(Schedules.hfCosineWithWarmup(2, 10, 0.5), 14, t -> t < 2 ? t / 2.0
                : Math.max(0, Math.cos(Math.PI * (t - 2) / 16.0) * Math.cos(Math.PI * (t - 2) / 16.0)));
    }

    @Test
    void hfCosineWithHardRestarts() {
        // W = 3, total = 15, two cycles of 6 steps each: cos²(π/2 · phase), phase = ((t - 3) mod 6)/6.
        expect(Schedules.hfCosineWithHardRestarts(3, 15, 2), 18, t -> {
            if (t < 3) {
                return t / 3.0;
            }
            if (t >= 15) {
                return 0.0;
            }
            double c = Math.cos(Math.PI / 2 * ((t - 3) % 6) / 6.0);
            return c * c;
        });
    }

    @Test
    void hfPolynomialWithWarmup() {
        SGD sgd = sgd();
        Scheduler s = new Scheduler(sgd, Schedules.hfPolynomialWithWarmup(2, 6, 1e-3, 2.0));
        double[] expected0 = {0, 0.05, 0.1, (0.099) * 9 / 16 + 1e-3, 0.099 / 4 + 1e-3, 0.099 / 16 + 1e-3, 1e-3, 1e-3, 1e-3};
        for (double e : expected0) {
            assertEquals(e, sgd.paramGroups().get(0).get("lr"), 1e-15);
            s.step();
        }
    }

    @Test
    void hfInverseSqrt() {
        // W = 4, timescale W: after warmup 1/sqrt(t/4) = 2/sqrt(t).
        expect(Schedules.hfInverseSqrt(4, 0), 12, t -> t < 4 ? t / 4.0 : 2 / Math.sqrt(t));
        // No warmup: timescale 10 000, 1/sqrt((t + 10000)/10000).
        expect(Schedules.hfInverseSqrt(0, 0), 5, t -> 100 / Math.sqrt(t + 10_000));
        expect(Schedules.hfInverseSqrt(2, 8), 6, t -> t < 2 ? t / 2.0 : Math.sqrt(8.0 / (t + 6)));
    }

    @Test
    void transformerIsVaswaniFormula() {
        // lr = d^-0.5 min(u^-0.5, u W^-1.5), u = t + 1; the peak d^-0.5 W^-0.5 is at u = W.
        int d = 512;
        long w = 16;
        LrSchedule s = Schedules.transformer(d, w);
        for (long t = 0; t < 60; t++) {
            double u = t + 1;
            double expected = u <= w ? u / (Math.sqrt(d) * w * Math.sqrt(w)) : 1 / Math.sqrt(d * u);
            assertEquals(expected, s.lr(t, 1.0), 1e-16, "u " + u);
            assertEquals(2 * expected, s.lr(t, 2.0), 2e-16, "factor 2, u " + u);
        }
        assertEquals(Math.pow(512 * 4000.0, -0.5), Schedules.transformer(512, 4000).lr(3999, 1.0), 1e-18);
    }

    @Test
    void fairseqInverseSqrt() {
        // W = 4, default init 0: 0, lr/4, lr/2, 3lr/4, then lr·2/sqrt(t).
        LrSchedule s = Schedules.fairseqInverseSqrt(4, -1);
        double lr = 5e-4;
        for (long t = 0; t < 20; t++) {
            double expected = t < 4 ? lr * t / 4 : lr * 2 / Math.sqrt(t);
            assertEquals(expected, s.lr(t, lr), 1e-18, "t " + t);
        }
        LrSchedule fromInit = Schedules.fairseqInverseSqrt(5, 1e-7);
        assertEquals(1e-7, fromInit.lr(0, 1e-3), 0);
        assertEquals(1e-7 + 2 * (1e-3 - 1e-7) / 5, fromInit.lr(2, 1e-3), 1e-19);
        assertEquals(1e-3, fromInit.lr(5, 1e-3), 1e-19);
    }

    @Test
    void untunedWarmupOfMaAndYarats() {
        // β2 = 0.999: linear over 2000 updates; update u = t + 1.
        LrSchedule linear = Schedules.untunedLinearWarmup(0.999);
        assertEquals(1.0 / 2000, linear.lr(0, 1.0), 1e-15);
        assertEquals(0.5, linear.lr(999, 1.0), 1e-12);
        assertEquals(1.0, linear.lr(1999, 1.0), 1e-12);
        assertEquals(1.0, linear.lr(5000, 1.0), 0);
        LrSchedule exp = Schedules.untunedExponentialWarmup(0.999);
        for (long t : new long[] {0, 1, 10, 999, 5000}) {
            assertEquals(1 - Math.exp(-0.001 * (t + 1)), exp.lr(t, 1.0), 1e-14, "t " + t);
        }
        expect(Schedules.untunedLinearWarmup(0.9), 25, t -> Math.min(1.0, (t + 1) / 20.0));
    }

    @Test
    void warmRestartsEdges() {
        // T_0 = 1, T_mult = 3: periods 1, 3, 9; restarts at 0, 1, 4, 13.
        LrSchedule s = Schedules.warmRestarts(1, 3, 0.0);
        for (long t : new long[] {0, 1, 4, 13, 40}) {
            assertEquals(1.0, s.lr(t, 1.0), 0, "restart at " + t);
        }
        assertEquals(0.75, s.lr(2, 1.0), 1e-15);
        assertEquals(0.5 + 0.5 * Math.cos(Math.PI * 4 / 9), s.lr(8, 1.0), 1e-15);
    }

    @Test
    void chainedComposesAndSequentialRestartsTheCounter() {
        LrSchedule a = Schedules.exponential(0.5);
        LrSchedule b = Schedules.cosine(4, 0.01);
        LrSchedule chained = Schedules.chained(a, b);
        LrSchedule seq = Schedules.sequential(List.of(a, b), 3);
        for (long t = 0; t < 10; t++) {
            assertEquals(b.lr(t, a.lr(t, 0.2)), chained.lr(t, 0.2), 0);
            assertEquals(t < 3 ? a.lr(t, 0.2) : b.lr(t - 3, 0.2), seq.lr(t, 0.2), 0);
        }
    }

    @Test
    void saveAndRestoreContinueIdentically() {
        LrSchedule schedule = Schedules.sequential(List.of(Schedules.linear(0.1, 1.0, 5),
                Schedules.warmRestarts(4, 2, 1e-4)), 5);
        SGD first = sgd();
        Scheduler original = new Scheduler(first, schedule);
        for (int i = 0; i < 13; i++) {
            original.step();
        }
        Map<String, Object> state = original.state();
        assertEquals(13L, state.get("step"));
        assertEquals(0.1, state.get("base_lr.0"));
        assertEquals(0.05, state.get("base_lr.1"));

        // A fresh optimizer whose current lrs differ: the restored base lrs must win.
        SGD second = new SGD(List.of(new ParamGroup(Map.of("a", param()), Map.of("lr", 7.0)),
                new ParamGroup(Map.of("b", param()), Map.of("lr", 3.0))));
        Scheduler restored = new Scheduler(second, schedule);
        restored.loadState(new HashMap<>(state));
        for (int i = 0; i < 30; i++) {
            assertEquals(original.lastLr(), restored.lastLr(), "step " + original.stepCount());
            assertEquals(original.stepCount(), restored.stepCount());
            original.step();
            restored.step();
        }
    }

    @Test
    void restoreReportsEveryProblemAndChangesNothing() {
        SGD sgd = sgd();
        Scheduler s = new Scheduler(sgd, Schedules.exponential(0.5));
        s.step();
        Map<String, Object> bad = new HashMap<>();
        bad.put("step", "three");
        bad.put("base_lr.0", 0.2);
        bad.put("base_lr.5", 0.2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.loadState(bad));
        assertTrue(e.getMessage().contains("'step'"), e.getMessage());
        assertTrue(e.getMessage().contains("'base_lr.1'"), e.getMessage());
        assertTrue(e.getMessage().contains("'base_lr.5'"), e.getMessage());
        assertEquals(1, s.stepCount());
        assertEquals(0.05, sgd.paramGroups().get(0).get("lr"), 0);
    }

    @Test
    void rejectsInvalidArguments() {
        assertThrows(IllegalArgumentException.class, () -> Schedules.step(0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Schedules.multiStep(new long[] {5, 3}, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Schedules.cosine(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedules.warmRestarts(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedules.linear(0, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> Schedules.hfLinearWithWarmup(10, 5));
        assertThrows(IllegalArgumentException.class, () -> Schedules.untunedLinearWarmup(1.0));
        assertThrows(IllegalArgumentException.class, () -> Schedules.fairseqInverseSqrt(0, -1));
        assertThrows(IllegalArgumentException.class, () -> Schedules.sequential(List.of(Schedules.constant()), 3));
        assertThrows(IllegalArgumentException.class,
                () -> Schedules.sequential(List.of(Schedules.constant(), Schedules.constant()), 0));
        assertThrows(IllegalArgumentException.class, Schedules::chained);
        assertEquals(0.0, Schedules.polynomial(3, 0.5).lr(10, 1.0), 0);
    }

    /** Checks that {@code schedule} gives {@code base · multiplier(t)} for both groups over {@code steps}. */
    private static void expect(LrSchedule schedule, int steps, LongToDoubleFunction multiplier) {
        List<List<Double>> lrs = run(schedule, steps);
        for (int t = 0; t < steps; t++) {
            for (int g = 0; g < BASE.length; g++) {
                assertEquals(BASE[g] * multiplier.applyAsDouble(t), lrs.get(t).get(g), 1e-15, "group " + g + " step " + t);
            }
        }
    }

    /** The groups' lrs during optimizer updates 1..steps, driving a scheduler the way training does. */
    private static List<List<Double>> run(LrSchedule schedule, int steps) {
        SGD sgd = sgd();
        Scheduler s = new Scheduler(sgd, schedule);
        List<List<Double>> out = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            out.add(s.lastLr());
            sgd.step();
            s.step();
        }
        return out;
    }

    private static SGD sgd() {
        return new SGD(List.of(new ParamGroup(Map.of("a", param()), Map.of("lr", BASE[0])),
                new ParamGroup(Map.of("b", param()), Map.of("lr", BASE[1]))));
    }

    private static Variable param() {
        return Variable.parameter(Tensor.zeros(1));
    }
}
