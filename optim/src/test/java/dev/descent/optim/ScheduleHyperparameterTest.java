package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.optim.schedule.ReduceOnPlateau;
import dev.descent.optim.schedule.ReduceOnPlateau.Mode;
import dev.descent.optim.schedule.ReduceOnPlateau.ThresholdMode;
import dev.descent.optim.schedule.Scheduler;
import dev.descent.optim.schedule.Schedules;
import dev.descent.optim.schedule.Schedules.Anneal;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schedules on any hyperparameter: torch 1.13 OneCycleLR (learning rate, momentum or β1, and the parameter
 * trajectory of SGD and Adam driven by both) and ReduceLROnPlateau, from {@code fixtures/schedule/onecycle.txt}
 * and {@code plateau.txt} written by {@code generate.py}; save and restore mid-way.
 */
class ScheduleHyperparameterTest {
    private static final double[] BASE = {0.1, 0.05};
    private static final double[][] X0 = {{1.0, -2.0, 0.5}, {0.25, -1.5}};
    private static final double[][] LAM = {{1.0, 3.0, 0.2}, {2.0, 0.5}};

    /** A one-cycle case as generate.py builds it: optimizer kind, total steps, lr and momentum schedules. */
    record OneCycle(String kind, long total, double pct, Anneal anneal, double div, double finalDiv, double baseMom,
            double maxMom, boolean three) {
    }

    private static final Map<String, OneCycle> ONE_CYCLE = Map.of(
            "sgd_cos", new OneCycle("sgd", 40, 0.3, Anneal.COS, 25, 1e4, 0.85, 0.95, false),
            "sgd_linear", new OneCycle("sgd", 30, 0.25, Anneal.LINEAR, 10, 100, 0.8, 0.9, false),
            "sgd_three_phase", new OneCycle("sgd", 37, 0.35, Anneal.COS, 25, 1e4, 0.85, 0.95, true),
            "sgd_three_phase_linear", new OneCycle("sgd", 25, 0.3, Anneal.LINEAR, 5, 50, 0.85, 0.95, true),
            "adam_cos", new OneCycle("adam", 40, 0.4, Anneal.COS, 25, 1e4, 0.85, 0.95, false));

    private static final Map<String, ReduceOnPlateau.Options> PLATEAU = Map.of(
            "min_rel", new ReduceOnPlateau.Options().factor(0.5).patience(2),
            "min_abs_cooldown_min_lr", new ReduceOnPlateau.Options().factor(0.3).patience(1)
                    .threshold(0.01, ThresholdMode.ABS).cooldown(2).minValue(0.01, 0.004),
            "max_rel_cooldown", new ReduceOnPlateau.Options().mode(Mode.MAX).factor(0.1).patience(3)
                    .threshold(1e-3, ThresholdMode.REL).cooldown(1).minValue(1e-4),
            "max_abs_eps", new ReduceOnPlateau.Options().mode(Mode.MAX).factor(0.9).patience(0)
                    .threshold(0.0, ThresholdMode.ABS).eps(0.006),
            "defaults", new ReduceOnPlateau.Options());

    private static Map<String, Map<String, double[]>> read(String file) throws IOException {
        Map<String, Map<String, double[]>> out = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                ScheduleHyperparameterTest.class.getResourceAsStream("/fixtures/schedule/" + file),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.trim().split("\\s+");
                double[] v = new double[f.length - 2];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Double.parseDouble(f[i + 2]);
                }
                out.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], v);
            }
        }
        return out;
    }

    static Stream<Arguments> oneCycleFixtures() throws IOException {
        Map<String, Map<String, double[]>> all = read("onecycle.txt");
        assertEquals(ONE_CYCLE.keySet(), all.keySet(), "fixture cases");
        return all.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    static Stream<Arguments> plateauFixtures() throws IOException {
        Map<String, Map<String, double[]>> all = read("plateau.txt");
        assertEquals(PLATEAU.keySet(), all.keySet(), "fixture cases");
        return all.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    /** An optimizer over parameters a and b with groups at the base lrs, and its two parameters. */
    private static Optimizer optimizer(String kind, Variable[] params) {
        params[0] = Variable.parameter(Tensor.of(X0[0].clone()));
        params[1] = Variable.parameter(Tensor.of(X0[1].clone()));
        List<ParamGroup> groups = List.of(new ParamGroup(Map.of("a", params[0]), Map.of("lr", BASE[0])),
                new ParamGroup(Map.of("b", params[1]), Map.of("lr", BASE[1])));
        if (kind.equals("sgd")) {
            return new SGD(List.of(new ParamGroup(Map.of("a", params[0]), Map.of("lr", BASE[0], "momentum", 0.9)),
                    new ParamGroup(Map.of("b", params[1]), Map.of("lr", BASE[1], "momentum", 0.9))));
        }
        return new Adam(groups);
    }

    private static Scheduler[] schedulers(Optimizer opt, OneCycle c) {
        String momentumKey = c.kind().equals("sgd") ? "momentum" : "beta1";
        return new Scheduler[] {
            new Scheduler(opt, Schedules.oneCycle(c.total(), c.pct(), c.anneal(), c.div(), c.finalDiv(), c.three())),
            new Scheduler(opt, Schedules.oneCycleMomentum(c.total(), c.pct(), c.anneal(), c.baseMom(), c.maxMom(),
                    c.three()), momentumKey)};
    }

    private static void setGradients(Variable[] params) {
        for (int k = 0; k < 2; k++) {
            double[] x = params[k].value().toDoubleArray();
            double[] g = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                g[j] = LAM[k][j] * x[j] + 0.1 * x[j] * x[j] * x[j];
            }
            params[k].setGrad(Tensor.of(g));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneCycleFixtures")
    void oneCycleMatchesTorch(String name, Map<String, double[]> expected) {
        OneCycle c = ONE_CYCLE.get(name);
        Variable[] params = new Variable[2];
        Optimizer opt = optimizer(c.kind(), params);
        Scheduler[] s = schedulers(opt, c);
        for (int t = 0; t < c.total(); t++) {
            for (int g = 0; g < 2; g++) {
                // Same formula, same order as torch: equal but for the last bit of cos.
                assertEquals(expected.get("lr" + g)[t], s[0].lastValues().get(g), 1e-15 * BASE[g],
                        name + " lr group " + g + " step " + t);
                assertEquals(expected.get("mom" + g)[t], s[1].lastValues().get(g), 1e-15,
                        name + " momentum group " + g + " step " + t);
            }
            setGradients(params);
            opt.step();
            for (int g = 0; g < 2; g++) {
                double[] x = params[g].value().toDoubleArray();
                for (int j = 0; j < x.length; j++) {
                    double e = expected.get("x" + g)[t * x.length + j];
                    assertEquals(e, x[j], 1e-12 * Math.max(1, Math.abs(e)), name + " x" + g + "[" + j + "] step " + t);
                }
            }
            s[0].step();
            s[1].step();
        }
    }

    @Test
    void oneCycleFailsPastItsEndAndKeepsItsState() {
        Variable[] params = new Variable[2];
        Optimizer opt = optimizer("sgd", params);
        Scheduler s = new Scheduler(opt, Schedules.oneCycle(3));
        for (int i = 0; i < 3; i++) {
            s.step();
        }
        double lr = opt.paramGroups().get(0).get("lr");
        assertThrows(IllegalStateException.class, s::step);
        assertEquals(3, s.stepCount());
        assertEquals(lr, opt.paramGroups().get(0).get("lr"), 0);
        // Defaults are torch's: the first lr is max/25, the peak max at step 0.3·100 − 1.
        Scheduler d = new Scheduler(optimizer("sgd", new Variable[2]), Schedules.oneCycle(100));
        assertEquals(BASE[0], d.baseValue(0), 0);
        assertEquals(BASE[0] / 25, d.lastValues().get(0), 1e-17);
        assertEquals(BASE[0], Schedules.oneCycle(100).lr(29, BASE[0]), 1e-17);
    }

    @Test
    void momentumScheduleDrivesSgdLikeSettingItByHand() {
        // A cosine on momentum from 0.9 down to 0.5 over 10 steps, against setting the group's momentum by hand.
        Variable[] p1 = new Variable[2];
        Variable[] p2 = new Variable[2];
        Optimizer scheduled = optimizer("sgd", p1);
        Optimizer manual = optimizer("sgd", p2);
        Scheduler s = new Scheduler(scheduled, Schedules.cosine(10, 0.5), "momentum");
        assertEquals("momentum", s.key());
        for (int t = 0; t < 15; t++) {
            double m = 0.5 + (0.9 - 0.5) * (1 + Math.cos(Math.PI * t / 10)) / 2;
            manual.paramGroups().forEach(g -> g.set("momentum", m));
            assertEquals(m, scheduled.paramGroups().get(1).get("momentum"), 0);
            assertEquals(BASE[0], scheduled.paramGroups().get(0).get("lr"), 0, "lr untouched");
            setGradients(p1);
            setGradients(p2);
            scheduled.step();
            manual.step();
            s.step();
        }
        for (int g = 0; g < 2; g++) {
            double[] a = p1[g].value().toDoubleArray();
            double[] b = p2[g].value().toDoubleArray();
            for (int j = 0; j < a.length; j++) {
                assertEquals(b[j], a[j], 0);
            }
        }
        // The state of a non-lr scheduler names its key.
        assertEquals(0.9, s.state().get("base_momentum.0"));
    }

    @Test
    void weightDecayScheduleSavesAndRestoresMidway() {
        Variable[] p = new Variable[2];
        Optimizer first = optimizer("sgd", p);
        first.paramGroups().forEach(g -> g.set("weight_decay", 0.01));
        Scheduler s = new Scheduler(first, Schedules.linear(0.1, 1.0, 8), "weight_decay");
        for (int i = 0; i < 5; i++) {
            s.step();
        }
        Variable[] q = new Variable[2];
        Optimizer second = optimizer("sgd", q);
        Scheduler r = new Scheduler(second, Schedules.linear(0.1, 1.0, 8), "weight_decay");
        r.loadState(new HashMap<>(s.state()));
        for (int i = 0; i < 10; i++) {
            assertEquals(s.lastValues(), r.lastValues());
            s.step();
            r.step();
        }
        assertThrows(IllegalArgumentException.class, () -> new Scheduler(second, Schedules.constant(), "no_such_key"));
    }

    @Test
    void oneCycleSaveAndRestoreMidwayIsBitIdentical() {
        OneCycle c = ONE_CYCLE.get("adam_cos");
        Variable[] p = new Variable[2];
        Optimizer full = optimizer("adam", p);
        Scheduler[] fs = schedulers(full, c);
        Variable[] q = new Variable[2];
        Optimizer half = optimizer("adam", q);
        Scheduler[] hs = schedulers(half, c);
        for (int t = 0; t < 17; t++) {
            setGradients(p);
            full.step();
            fs[0].step();
            fs[1].step();
            setGradients(q);
            half.step();
            hs[0].step();
            hs[1].step();
        }
        // A fresh optimizer at other values resumes from the saved states.
        Variable[] r = new Variable[2];
        Optimizer resumed = optimizer("adam", r);
        r[0].value().copy_(q[0].value());
        r[1].value().copy_(q[1].value());
        resumed.loadState(half.stateTensors(), half.stateScalars());
        Scheduler[] rs = schedulers(resumed, c);
        rs[0].loadState(new HashMap<>(hs[0].state()));
        rs[1].loadState(new HashMap<>(hs[1].state()));
        for (int t = 17; t < c.total(); t++) {
            assertEquals(fs[0].lastValues(), rs[0].lastValues());
            assertEquals(fs[1].lastValues(), rs[1].lastValues());
            setGradients(p);
            full.step();
            fs[0].step();
            fs[1].step();
            setGradients(r);
            resumed.step();
            rs[0].step();
            rs[1].step();
        }
        for (int g = 0; g < 2; g++) {
            double[] a = p[g].value().toDoubleArray();
            double[] b = r[g].value().toDoubleArray();
            for (int j = 0; j < a.length; j++) {
                assertEquals(Double.doubleToLongBits(a[j]), Double.doubleToLongBits(b[j]), "x" + g + "[" + j + "]");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plateauFixtures")
    void reduceOnPlateauMatchesTorch(String name, Map<String, double[]> expected) {
        Variable[] p = new Variable[2];
        Optimizer opt = optimizer("sgd", p);
        ReduceOnPlateau r = new ReduceOnPlateau(opt, PLATEAU.get(name));
        double[] metric = expected.get("metric");
        for (int t = 0; t < metric.length; t++) {
            r.step(metric[t]);
            for (int g = 0; g < 2; g++) {
                assertEquals(expected.get("lr" + g)[t], r.lastValues().get(g), 0, name + " group " + g + " step " + t);
            }
        }
        assertEquals(metric.length, r.stepCount());
    }

    @Test
    void reduceOnPlateauSaveAndRestoreMidway() throws IOException {
        double[] metric = read("plateau.txt").get("min_abs_cooldown_min_lr").get("metric");
        ReduceOnPlateau.Options options = PLATEAU.get("min_abs_cooldown_min_lr");
        Variable[] p = new Variable[2];
        Optimizer full = optimizer("sgd", p);
        ReduceOnPlateau fr = new ReduceOnPlateau(full, options);
        for (int split : new int[] {11, 12, 15}) {
            Variable[] q = new Variable[2];
            Optimizer part = optimizer("sgd", q);
            ReduceOnPlateau pr = new ReduceOnPlateau(part, options);
            for (int t = 0; t < split; t++) {
                pr.step(metric[t]);
            }
            Variable[] r = new Variable[2];
            Optimizer resumed = optimizer("sgd", r);
            resumed.loadState(part.stateTensors(), part.stateScalars());
            ReduceOnPlateau rr = new ReduceOnPlateau(resumed, options);
            rr.loadState(new HashMap<>(pr.state()));
            assertEquals(pr.state(), rr.state());
            Variable[] u = new Variable[2];
            Optimizer uninterrupted = optimizer("sgd", u);
            ReduceOnPlateau ur = new ReduceOnPlateau(uninterrupted, options);
            for (int t = 0; t < metric.length; t++) {
                ur.step(metric[t]);
                if (t >= split) {
                    rr.step(metric[t]);
                    assertEquals(ur.lastValues(), rr.lastValues(), "split " + split + " step " + t);
                    assertEquals(ur.state(), rr.state(), "split " + split + " step " + t);
                }
            }
        }
        fr.step(1.0);
        assertEquals(1.0, fr.best(), 0);
        Map<String, Object> bad = new HashMap<>(fr.state());
        bad.remove("best");
        bad.put("num_bad_epochs", -1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fr.loadState(bad));
        assertTrue(e.getMessage().contains("'best'") && e.getMessage().contains("num_bad_epochs"), e.getMessage());
        assertEquals(1, fr.stepCount());
    }

    @Test
    void reduceOnPlateauDrivesAnyKeyAndRejectsBadOptions() {
        Variable[] p = new Variable[2];
        Optimizer opt = optimizer("sgd", p);
        ReduceOnPlateau r = new ReduceOnPlateau(opt, new ReduceOnPlateau.Options().key("momentum").patience(0)
                .factor(0.5));
        r.step(1.0);
        assertTrue(r.step(1.0));
        assertEquals(List.of(0.45, 0.45), r.lastValues());
        assertEquals(BASE[0], opt.paramGroups().get(0).get("lr"), 0);
        assertThrows(IllegalArgumentException.class,
                () -> new ReduceOnPlateau(opt, new ReduceOnPlateau.Options().factor(1.0)));
        assertThrows(IllegalArgumentException.class,
                () -> new ReduceOnPlateau(opt, new ReduceOnPlateau.Options().minValue(1, 2, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> new ReduceOnPlateau(opt, new ReduceOnPlateau.Options().key("nope")));
        assertThrows(IllegalArgumentException.class, () -> Schedules.oneCycle(0));
        assertThrows(IllegalArgumentException.class,
                () -> Schedules.oneCycleMomentum(10, 1.5, Anneal.COS, 0.85, 0.95, false));
        assertEquals(DType.FLOAT64, p[0].dtype());
    }
}
